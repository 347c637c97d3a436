/// Bodies of the `acs/credentials/*` endpoints.
public enum ACSCredentialRequests {
    /// The access method of a Salto KS mobile key.
    public static let mobileKey = "mobile_key"

    /// `acs/credentials/create`. Returns synchronously; syncing to the ACS happens later.
    public struct Create: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSCredential>
        public static let path = "acs/credentials/create"
        public static let operation = SeamOperation.create

        public var accessMethod: String
        public var acsUserId: String?
        public var userIdentityId: String?
        public var acsSystemId: String?
        public var isMultiPhoneSyncCredential: Bool?
        public var startsAt: String?
        public var endsAt: String?
        public var allowedAcsEntranceIds: [String]?
        public var credentialManagerAcsSystemId: String?
        public var code: String?

        public init(
            accessMethod: String = ACSCredentialRequests.mobileKey,
            acsUserId: String? = nil,
            userIdentityId: String? = nil,
            acsSystemId: String? = nil,
            isMultiPhoneSyncCredential: Bool? = nil,
            startsAt: String? = nil,
            endsAt: String? = nil,
            allowedAcsEntranceIds: [String]? = nil,
            credentialManagerAcsSystemId: String? = nil,
            code: String? = nil
        ) {
            self.accessMethod = accessMethod
            self.acsUserId = acsUserId
            self.userIdentityId = userIdentityId
            self.acsSystemId = acsSystemId
            self.isMultiPhoneSyncCredential = isMultiPhoneSyncCredential
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.allowedAcsEntranceIds = allowedAcsEntranceIds
            self.credentialManagerAcsSystemId = credentialManagerAcsSystemId
            self.code = code
        }

        enum CodingKeys: String, CodingKey {
            case accessMethod = "access_method"
            case acsUserId = "acs_user_id"
            case userIdentityId = "user_identity_id"
            case acsSystemId = "acs_system_id"
            case isMultiPhoneSyncCredential = "is_multi_phone_sync_credential"
            case startsAt = "starts_at"
            case endsAt = "ends_at"
            case allowedAcsEntranceIds = "allowed_acs_entrance_ids"
            case credentialManagerAcsSystemId = "credential_manager_acs_system_id"
            case code
        }
    }

    /// `acs/credentials/get`.
    public struct Get: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSCredential>
        public static let path = "acs/credentials/get"
        public static let operation = SeamOperation.read

        public var acsCredentialId: String

        public init(acsCredentialId: String) { self.acsCredentialId = acsCredentialId }

        enum CodingKeys: String, CodingKey {
            case acsCredentialId = "acs_credential_id"
        }
    }

    /// `acs/credentials/list`.
    public struct List: SeamPaginatedRequest, Equatable {
        public typealias Item = ACSCredential
        public static let path = "acs/credentials/list"
        public static let operation = SeamOperation.read

        public var acsUserId: String?
        public var acsSystemId: String?
        public var userIdentityId: String?
        public var isMultiPhoneSyncCredential: Bool?
        public var search: String?
        public var createdBefore: String?
        public var limit: Int?
        public var pageCursor: String?

        public init(
            acsUserId: String? = nil,
            acsSystemId: String? = nil,
            userIdentityId: String? = nil,
            isMultiPhoneSyncCredential: Bool? = nil,
            search: String? = nil,
            createdBefore: String? = nil,
            limit: Int? = nil,
            pageCursor: String? = nil
        ) {
            self.acsUserId = acsUserId
            self.acsSystemId = acsSystemId
            self.userIdentityId = userIdentityId
            self.isMultiPhoneSyncCredential = isMultiPhoneSyncCredential
            self.search = search
            self.createdBefore = createdBefore
            self.limit = limit
            self.pageCursor = pageCursor
        }

        enum CodingKeys: String, CodingKey {
            case acsUserId = "acs_user_id"
            case acsSystemId = "acs_system_id"
            case userIdentityId = "user_identity_id"
            case isMultiPhoneSyncCredential = "is_multi_phone_sync_credential"
            case search
            case createdBefore = "created_before"
            case limit
            case pageCursor = "page_cursor"
        }
    }

    /// `acs/credentials/delete`.
    public struct Delete: SeamRequest, Equatable {
        public typealias Response = SeamOKResponse
        public static let path = "acs/credentials/delete"
        public static let operation = SeamOperation.delete

        public var acsCredentialId: String

        public init(acsCredentialId: String) { self.acsCredentialId = acsCredentialId }

        enum CodingKeys: String, CodingKey {
            case acsCredentialId = "acs_credential_id"
        }
    }
}
