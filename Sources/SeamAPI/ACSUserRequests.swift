/// Bodies of the `acs/users/*` endpoints.
public enum ACSUserRequests {
    /// `acs/users/create`. For Salto KS, `accessSchedule` makes the user subscribed only during the stay.
    public struct Create: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSUser>
        public static let path = "acs/users/create"
        public static let operation = SeamOperation.create

        public var acsSystemId: String
        public var fullName: String
        public var userIdentityId: String?
        public var emailAddress: String?
        public var phoneNumber: String?
        public var acsAccessGroupIds: [String]?
        public var accessSchedule: ACSAccessSchedule?

        public init(
            acsSystemId: String,
            fullName: String,
            userIdentityId: String? = nil,
            emailAddress: String? = nil,
            phoneNumber: String? = nil,
            acsAccessGroupIds: [String]? = nil,
            accessSchedule: ACSAccessSchedule? = nil
        ) {
            self.acsSystemId = acsSystemId
            self.fullName = fullName
            self.userIdentityId = userIdentityId
            self.emailAddress = emailAddress
            self.phoneNumber = phoneNumber
            self.acsAccessGroupIds = acsAccessGroupIds
            self.accessSchedule = accessSchedule
        }

        enum CodingKeys: String, CodingKey {
            case acsSystemId = "acs_system_id"
            case fullName = "full_name"
            case userIdentityId = "user_identity_id"
            case emailAddress = "email_address"
            case phoneNumber = "phone_number"
            case acsAccessGroupIds = "acs_access_group_ids"
            case accessSchedule = "access_schedule"
        }
    }

    /// Identifies one ACS user: by id, or by user identity within a system.
    public struct UserSelector: Sendable, Equatable {
        public var acsUserId: String?
        public var userIdentityId: String?
        public var acsSystemId: String?

        public static func id(_ acsUserId: String) -> UserSelector {
            UserSelector(acsUserId: acsUserId, userIdentityId: nil, acsSystemId: nil)
        }

        public static func userIdentity(_ userIdentityId: String, acsSystemId: String) -> UserSelector {
            UserSelector(acsUserId: nil, userIdentityId: userIdentityId, acsSystemId: acsSystemId)
        }
    }

    /// `acs/users/get`.
    public struct Get: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSUser>
        public static let path = "acs/users/get"
        public static let operation = SeamOperation.read

        public var user: UserSelector

        public init(_ user: UserSelector) { self.user = user }

        public func encode(to encoder: any Encoder) throws {
            try user.encode(into: encoder)
        }
    }

    /// `acs/users/list`.
    public struct List: SeamPaginatedRequest, Equatable {
        public typealias Item = ACSUser
        public static let path = "acs/users/list"
        public static let operation = SeamOperation.read

        public var acsSystemId: String?
        public var userIdentityId: String?
        public var userIdentityEmailAddress: String?
        public var userIdentityPhoneNumber: String?
        public var search: String?
        public var createdBefore: String?
        public var limit: Int?
        public var pageCursor: String?

        public init(
            acsSystemId: String? = nil,
            userIdentityId: String? = nil,
            userIdentityEmailAddress: String? = nil,
            userIdentityPhoneNumber: String? = nil,
            search: String? = nil,
            createdBefore: String? = nil,
            limit: Int? = nil,
            pageCursor: String? = nil
        ) {
            self.acsSystemId = acsSystemId
            self.userIdentityId = userIdentityId
            self.userIdentityEmailAddress = userIdentityEmailAddress
            self.userIdentityPhoneNumber = userIdentityPhoneNumber
            self.search = search
            self.createdBefore = createdBefore
            self.limit = limit
            self.pageCursor = pageCursor
        }

        enum CodingKeys: String, CodingKey {
            case acsSystemId = "acs_system_id"
            case userIdentityId = "user_identity_id"
            case userIdentityEmailAddress = "user_identity_email_address"
            case userIdentityPhoneNumber = "user_identity_phone_number"
            case search
            case createdBefore = "created_before"
            case limit
            case pageCursor = "page_cursor"
        }
    }

    /// `acs/users/update`; nil fields are left unchanged (a new `accessSchedule` moves the stay).
    public struct Update: SeamRequest, Equatable {
        public typealias Response = SeamOKResponse
        public static let path = "acs/users/update"
        public static let operation = SeamOperation.update

        public var user: UserSelector
        public var accessSchedule: ACSAccessSchedule?
        public var fullName: String?
        public var emailAddress: String?
        public var phoneNumber: String?

        public init(
            _ user: UserSelector,
            accessSchedule: ACSAccessSchedule? = nil,
            fullName: String? = nil,
            emailAddress: String? = nil,
            phoneNumber: String? = nil
        ) {
            self.user = user
            self.accessSchedule = accessSchedule
            self.fullName = fullName
            self.emailAddress = emailAddress
            self.phoneNumber = phoneNumber
        }

        enum CodingKeys: String, CodingKey {
            case accessSchedule = "access_schedule"
            case fullName = "full_name"
            case emailAddress = "email_address"
            case phoneNumber = "phone_number"
        }

        public func encode(to encoder: any Encoder) throws {
            try user.encode(into: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(accessSchedule, forKey: .accessSchedule)
            try container.encodeIfPresent(fullName, forKey: .fullName)
            try container.encodeIfPresent(emailAddress, forKey: .emailAddress)
            try container.encodeIfPresent(phoneNumber, forKey: .phoneNumber)
        }
    }

    /// `acs/users/delete`; also invalidates the user's credentials (used for cancellations).
    public struct Delete: SeamRequest, Equatable {
        public typealias Response = SeamOKResponse
        public static let path = "acs/users/delete"
        public static let operation = SeamOperation.delete

        public var user: UserSelector

        public init(_ user: UserSelector) { self.user = user }

        public func encode(to encoder: any Encoder) throws {
            try user.encode(into: encoder)
        }
    }

    /// `acs/users/add_to_access_group`.
    public struct AddToAccessGroup: SeamRequest, Equatable {
        public typealias Response = SeamOKResponse
        public static let path = "acs/users/add_to_access_group"
        public static let operation = SeamOperation.update

        public var acsUserId: String
        public var acsAccessGroupId: String

        public init(acsUserId: String, acsAccessGroupId: String) {
            self.acsUserId = acsUserId
            self.acsAccessGroupId = acsAccessGroupId
        }

        enum CodingKeys: String, CodingKey {
            case acsUserId = "acs_user_id"
            case acsAccessGroupId = "acs_access_group_id"
        }
    }

    /// `acs/users/remove_from_access_group`.
    public struct RemoveFromAccessGroup: SeamRequest, Equatable {
        public typealias Response = SeamOKResponse
        public static let path = "acs/users/remove_from_access_group"
        public static let operation = SeamOperation.update

        public var acsAccessGroupId: String
        public var acsUserId: String?
        public var userIdentityId: String?

        public init(acsAccessGroupId: String, acsUserId: String? = nil, userIdentityId: String? = nil) {
            self.acsAccessGroupId = acsAccessGroupId
            self.acsUserId = acsUserId
            self.userIdentityId = userIdentityId
        }

        enum CodingKeys: String, CodingKey {
            case acsAccessGroupId = "acs_access_group_id"
            case acsUserId = "acs_user_id"
            case userIdentityId = "user_identity_id"
        }
    }
}

extension ACSUserRequests.UserSelector {
    private enum CodingKeys: String, CodingKey {
        case acsUserId = "acs_user_id"
        case userIdentityId = "user_identity_id"
        case acsSystemId = "acs_system_id"
    }

    func encode(into encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(acsUserId, forKey: .acsUserId)
        try container.encodeIfPresent(userIdentityId, forKey: .userIdentityId)
        try container.encodeIfPresent(acsSystemId, forKey: .acsSystemId)
    }
}
