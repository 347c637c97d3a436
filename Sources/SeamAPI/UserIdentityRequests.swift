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
        public var acsSystemIDs: [String]?

        public init(
            userIdentityKey: String? = nil,
            emailAddress: String? = nil,
            phoneNumber: String? = nil,
            fullName: String? = nil,
            acsSystemIDs: [String]? = nil
        ) {
            self.userIdentityKey = userIdentityKey
            self.emailAddress = emailAddress
            self.phoneNumber = phoneNumber
            self.fullName = fullName
            self.acsSystemIDs = acsSystemIDs
        }

        enum CodingKeys: String, CodingKey {
            case userIdentityKey = "user_identity_key"
            case emailAddress = "email_address"
            case phoneNumber = "phone_number"
            case fullName = "full_name"
            case acsSystemIDs = "acs_system_ids"
        }
    }

    /// `user_identities/generate_instant_key`: a new instant key (a shareable link to the
    /// identity's mobile keys) each call. Not idempotent and with nothing to look it up by, so an
    /// ambiguous failure is never repeated (`SeamOperation.create`): at worst an unused link exists.
    public struct GenerateInstantKey: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<InstantKey>
        public static let path = "user_identities/generate_instant_key"
        /// A new link each call, but asking twice is harmless (at worst an unused link exists, and
        /// Seam offers no lookup to resolve an ambiguous answer): retried freely, as an update is,
        /// so a passing 503 or a lost answer does not leave a guest without a link.
        public static let operation = SeamOperation.update

        public var userIdentityID: String
        /// How many times the link may be used; Seam's default is 1.
        public var maxUseCount: Int?

        public init(userIdentityID: String, maxUseCount: Int? = nil) {
            self.userIdentityID = userIdentityID
            self.maxUseCount = maxUseCount
        }

        enum CodingKeys: String, CodingKey {
            case userIdentityID = "user_identity_id"
            case maxUseCount = "max_use_count"
        }
    }

    /// `user_identities/get`: exactly one of id or key (use the factories).
    public struct Get: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<UserIdentity>
        public static let path = "user_identities/get"
        public static let operation = SeamOperation.read

        public var userIdentityID: String?
        public var userIdentityKey: String?

        public static func byID(_ id: String) -> Get { Get(userIdentityID: id, userIdentityKey: nil) }
        public static func byKey(_ key: String) -> Get { Get(userIdentityID: nil, userIdentityKey: key) }

        enum CodingKeys: String, CodingKey {
            case userIdentityID = "user_identity_id"
            case userIdentityKey = "user_identity_key"
        }
    }

    /// `user_identities/list`. `search` is a partial match on name, phone, email or id.
    public struct List: SeamPaginatedRequest, Equatable {
        public typealias Item = UserIdentity
        public static let path = "user_identities/list"
        public static let operation = SeamOperation.read

        public var search: String?
        public var userIdentityIDs: [String]?
        public var credentialManagerACSSystemID: String?
        public var createdBefore: String?
        public var limit: Int?
        public var pageCursor: String?

        public init(
            search: String? = nil,
            userIdentityIDs: [String]? = nil,
            credentialManagerACSSystemID: String? = nil,
            createdBefore: String? = nil,
            limit: Int? = nil,
            pageCursor: String? = nil
        ) {
            self.search = search
            self.userIdentityIDs = userIdentityIDs
            self.credentialManagerACSSystemID = credentialManagerACSSystemID
            self.createdBefore = createdBefore
            self.limit = limit
            self.pageCursor = pageCursor
        }

        enum CodingKeys: String, CodingKey {
            case search
            case userIdentityIDs = "user_identity_ids"
            case credentialManagerACSSystemID = "credential_manager_acs_system_id"
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

        public var userIdentityID: String
        public var userIdentityKey: String?
        public var emailAddress: String?
        public var phoneNumber: String?
        public var fullName: String?

        public init(
            userIdentityID: String,
            userIdentityKey: String? = nil,
            emailAddress: String? = nil,
            phoneNumber: String? = nil,
            fullName: String? = nil
        ) {
            self.userIdentityID = userIdentityID
            self.userIdentityKey = userIdentityKey
            self.emailAddress = emailAddress
            self.phoneNumber = phoneNumber
            self.fullName = fullName
        }

        enum CodingKeys: String, CodingKey {
            case userIdentityID = "user_identity_id"
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

        public var userIdentityID: String

        public init(userIdentityID: String) { self.userIdentityID = userIdentityID }

        enum CodingKeys: String, CodingKey {
            case userIdentityID = "user_identity_id"
        }
    }
}
