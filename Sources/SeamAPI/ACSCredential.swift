/// A credential of an ACS user; for this job a `mobile_key`. `accessMethod` stays a String so a
/// new method Seam adds does not fail decoding.
public struct ACSCredential: SeamResource, Equatable {
    public static let singleKey = "acs_credential"
    public static let listKey = "acs_credentials"

    public var acsCredentialId: String
    public var acsUserId: String?
    public var acsSystemId: String?
    public var userIdentityId: String?
    public var accessMethod: String?
    public var isMultiPhoneSyncCredential: Bool?
    public var isLatestDesiredStateSyncedWithProvider: Bool?
    public var startsAt: String?
    public var endsAt: String?
    public var warnings: [SeamNotice]?
    public var errors: [SeamNotice]?
    public var createdAt: String?

    public init(
        acsCredentialId: String,
        acsUserId: String? = nil,
        acsSystemId: String? = nil,
        userIdentityId: String? = nil,
        accessMethod: String? = nil,
        isMultiPhoneSyncCredential: Bool? = nil,
        isLatestDesiredStateSyncedWithProvider: Bool? = nil,
        startsAt: String? = nil,
        endsAt: String? = nil,
        warnings: [SeamNotice]? = nil,
        errors: [SeamNotice]? = nil,
        createdAt: String? = nil
    ) {
        self.acsCredentialId = acsCredentialId
        self.acsUserId = acsUserId
        self.acsSystemId = acsSystemId
        self.userIdentityId = userIdentityId
        self.accessMethod = accessMethod
        self.isMultiPhoneSyncCredential = isMultiPhoneSyncCredential
        self.isLatestDesiredStateSyncedWithProvider = isLatestDesiredStateSyncedWithProvider
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.warnings = warnings
        self.errors = errors
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case acsCredentialId = "acs_credential_id"
        case acsUserId = "acs_user_id"
        case acsSystemId = "acs_system_id"
        case userIdentityId = "user_identity_id"
        case accessMethod = "access_method"
        case isMultiPhoneSyncCredential = "is_multi_phone_sync_credential"
        case isLatestDesiredStateSyncedWithProvider = "is_latest_desired_state_synced_with_provider"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case warnings
        case errors
        case createdAt = "created_at"
    }
}
