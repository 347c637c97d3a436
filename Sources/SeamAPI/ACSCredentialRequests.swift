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
        public var acsUserID: String?
        public var userIdentityID: String?
        public var acsSystemID: String?
        public var isMultiPhoneSyncCredential: Bool?
        public var startsAt: String?
        public var endsAt: String?
        public var allowedACSEntranceIDs: [String]?
        public var credentialManagerACSSystemID: String?
        public var code: String?

        public init(
            accessMethod: String = ACSCredentialRequests.mobileKey,
            acsUserID: String? = nil,
            userIdentityID: String? = nil,
            acsSystemID: String? = nil,
            isMultiPhoneSyncCredential: Bool? = nil,
            startsAt: String? = nil,
            endsAt: String? = nil,
            allowedACSEntranceIDs: [String]? = nil,
            credentialManagerACSSystemID: String? = nil,
            code: String? = nil
        ) {
            self.accessMethod = accessMethod
            self.acsUserID = acsUserID
            self.userIdentityID = userIdentityID
            self.acsSystemID = acsSystemID
            self.isMultiPhoneSyncCredential = isMultiPhoneSyncCredential
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.allowedACSEntranceIDs = allowedACSEntranceIDs
            self.credentialManagerACSSystemID = credentialManagerACSSystemID
            self.code = code
        }

        enum CodingKeys: String, CodingKey {
            case accessMethod = "access_method"
            case acsUserID = "acs_user_id"
            case userIdentityID = "user_identity_id"
            case acsSystemID = "acs_system_id"
            case isMultiPhoneSyncCredential = "is_multi_phone_sync_credential"
            case startsAt = "starts_at"
            case endsAt = "ends_at"
            case allowedACSEntranceIDs = "allowed_acs_entrance_ids"
            case credentialManagerACSSystemID = "credential_manager_acs_system_id"
            case code
        }
    }

    /// `acs/credentials/get`.
    public struct Get: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSCredential>
        public static let path = "acs/credentials/get"
        public static let operation = SeamOperation.read

        public var acsCredentialID: String

        public init(acsCredentialID: String) { self.acsCredentialID = acsCredentialID }

        enum CodingKeys: String, CodingKey {
            case acsCredentialID = "acs_credential_id"
        }
    }

    /// `acs/credentials/list`.
    public struct List: SeamPaginatedRequest, Equatable {
        public typealias Item = ACSCredential
        public static let path = "acs/credentials/list"
        public static let operation = SeamOperation.read

        public var acsUserID: String?
        public var acsSystemID: String?
        public var userIdentityID: String?
        public var isMultiPhoneSyncCredential: Bool?
        public var search: String?
        public var createdBefore: String?
        public var limit: Int?
        public var pageCursor: String?

        public init(
            acsUserID: String? = nil,
            acsSystemID: String? = nil,
            userIdentityID: String? = nil,
            isMultiPhoneSyncCredential: Bool? = nil,
            search: String? = nil,
            createdBefore: String? = nil,
            limit: Int? = nil,
            pageCursor: String? = nil
        ) {
            self.acsUserID = acsUserID
            self.acsSystemID = acsSystemID
            self.userIdentityID = userIdentityID
            self.isMultiPhoneSyncCredential = isMultiPhoneSyncCredential
            self.search = search
            self.createdBefore = createdBefore
            self.limit = limit
            self.pageCursor = pageCursor
        }

        enum CodingKeys: String, CodingKey {
            case acsUserID = "acs_user_id"
            case acsSystemID = "acs_system_id"
            case userIdentityID = "user_identity_id"
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

        public var acsCredentialID: String

        public init(acsCredentialID: String) { self.acsCredentialID = acsCredentialID }

        enum CodingKeys: String, CodingKey {
            case acsCredentialID = "acs_credential_id"
        }
    }
}
