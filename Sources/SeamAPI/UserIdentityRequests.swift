/// Bodies of the `user_identities/*` endpoints.
public enum UserIdentityRequests {
    /// `user_identities/create`. Key, email and phone must each be unique in the workspace; give
    /// every guest a deterministic `userIdentityKey` so a lookup by key is exact.
    public struct Create: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<UserIdentity>
        public static let path = "user_identities/create"
        public static let operation = SeamOperation.create

        public var userIdentityKey: String?
        public var emailAddress: String?
        public var phoneNumber: String?
        public var fullName: String?
        public var acsSystemIds: [String]?

        public init(
            userIdentityKey: String? = nil,
            emailAddress: String? = nil,
            phoneNumber: String? = nil,
            fullName: String? = nil,
            acsSystemIds: [String]? = nil
        ) {
            self.userIdentityKey = userIdentityKey
            self.emailAddress = emailAddress
            self.phoneNumber = phoneNumber
            self.fullName = fullName
            self.acsSystemIds = acsSystemIds
        }

        enum CodingKeys: String, CodingKey {
            case userIdentityKey = "user_identity_key"
            case emailAddress = "email_address"
            case phoneNumber = "phone_number"
            case fullName = "full_name"
            case acsSystemIds = "acs_system_ids"
        }
    }

    /// `user_identities/get`: exactly one of id or key (use the factories).
    public struct Get: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<UserIdentity>
        public static let path = "user_identities/get"
        public static let operation = SeamOperation.read

        public var userIdentityId: String?
        public var userIdentityKey: String?

        public static func byId(_ id: String) -> Get { Get(userIdentityId: id, userIdentityKey: nil) }
        public static func byKey(_ key: String) -> Get { Get(userIdentityId: nil, userIdentityKey: key) }

        enum CodingKeys: String, CodingKey {
            case userIdentityId = "user_identity_id"
            case userIdentityKey = "user_identity_key"
        }
    }

    /// `user_identities/list`. `search` is a partial match on name, phone, email or id.
    public struct List: SeamPaginatedRequest, Equatable {
        public typealias Item = UserIdentity
        public static let path = "user_identities/list"
        public static let operation = SeamOperation.read

        public var search: String?
        public var userIdentityIds: [String]?
        public var credentialManagerAcsSystemId: String?
        public var createdBefore: String?
        public var limit: Int?
        public var pageCursor: String?

        public init(
            search: String? = nil,
            userIdentityIds: [String]? = nil,
            credentialManagerAcsSystemId: String? = nil,
            createdBefore: String? = nil,
            limit: Int? = nil,
            pageCursor: String? = nil
        ) {
            self.search = search
            self.userIdentityIds = userIdentityIds
            self.credentialManagerAcsSystemId = credentialManagerAcsSystemId
            self.createdBefore = createdBefore
            self.limit = limit
            self.pageCursor = pageCursor
        }

        enum CodingKeys: String, CodingKey {
            case search
            case userIdentityIds = "user_identity_ids"
            case credentialManagerAcsSystemId = "credential_manager_acs_system_id"
            case createdBefore = "created_before"
            case limit
            case pageCursor = "page_cursor"
        }
    }

    /// `user_identities/update`; nil fields are left unchanged.
    public struct Update: SeamRequest, Equatable {
        public typealias Response = SeamOKResponse
        public static let path = "user_identities/update"
        public static let operation = SeamOperation.update

        public var userIdentityId: String
        public var userIdentityKey: String?
        public var emailAddress: String?
        public var phoneNumber: String?
        public var fullName: String?

        public init(
            userIdentityId: String,
            userIdentityKey: String? = nil,
            emailAddress: String? = nil,
            phoneNumber: String? = nil,
            fullName: String? = nil
        ) {
            self.userIdentityId = userIdentityId
            self.userIdentityKey = userIdentityKey
            self.emailAddress = emailAddress
            self.phoneNumber = phoneNumber
            self.fullName = fullName
        }

        enum CodingKeys: String, CodingKey {
            case userIdentityId = "user_identity_id"
            case userIdentityKey = "user_identity_key"
            case emailAddress = "email_address"
            case phoneNumber = "phone_number"
            case fullName = "full_name"
        }
    }

    /// `user_identities/delete`; also deletes the identity's ACS users and credentials.
    public struct Delete: SeamRequest, Equatable {
        public typealias Response = SeamOKResponse
        public static let path = "user_identities/delete"
        public static let operation = SeamOperation.delete

        public var userIdentityId: String

        public init(userIdentityId: String) { self.userIdentityId = userIdentityId }

        enum CodingKeys: String, CodingKey {
            case userIdentityId = "user_identity_id"
        }
    }
}
