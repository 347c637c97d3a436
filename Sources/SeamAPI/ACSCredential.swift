/// A credential of an ACS user; for this job a `mobile_key`. `accessMethod` stays a String so a
/// new method Seam adds does not fail decoding.
public struct ACSCredential: SeamResource, Equatable {
    public static let singleKey = "acs_credential"
    public static let listKey = "acs_credentials"

    public var acsCredentialID: String
    public var acsUserID: String?
    public var acsSystemID: String?
    public var userIdentityID: String?
    public var accessMethod: String?
    public var isMultiPhoneSyncCredential: Bool?
    public var isLatestDesiredStateSyncedWithProvider: Bool?
    public var startsAt: String?
    public var endsAt: String?
    public var warnings: [SeamNotice]?
    public var errors: [SeamNotice]?
    public var createdAt: String?

    public init(
        acsCredentialID: String,
        acsUserID: String? = nil,
        acsSystemID: String? = nil,
        userIdentityID: String? = nil,
        accessMethod: String? = nil,
        isMultiPhoneSyncCredential: Bool? = nil,
        isLatestDesiredStateSyncedWithProvider: Bool? = nil,
        startsAt: String? = nil,
        endsAt: String? = nil,
        warnings: [SeamNotice]? = nil,
        errors: [SeamNotice]? = nil,
        createdAt: String? = nil
    ) {
        self.acsCredentialID = acsCredentialID
        self.acsUserID = acsUserID
        self.acsSystemID = acsSystemID
        self.userIdentityID = userIdentityID
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
        case acsCredentialID = "acs_credential_id"
        case acsUserID = "acs_user_id"
        case acsSystemID = "acs_system_id"
        case userIdentityID = "user_identity_id"
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
