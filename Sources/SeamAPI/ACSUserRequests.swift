/// Bodies of the `acs/users/*` endpoints.
public enum ACSUserRequests {
    /// `acs/users/create`. For Salto KS, `accessSchedule` makes the user subscribed only during the stay.
    public struct Create: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSUser>
        public static let path = "acs/users/create"
        public static let operation = SeamOperation.create

        public var acsSystemID: String
        public var fullName: String
        public var userIdentityID: String?
        public var emailAddress: String?
        public var phoneNumber: String?
        public var acsAccessGroupIDs: [String]?
        public var accessSchedule: ACSAccessSchedule?

        public init(
            acsSystemID: String,
            fullName: String,
            userIdentityID: String? = nil,
            emailAddress: String? = nil,
            phoneNumber: String? = nil,
            acsAccessGroupIDs: [String]? = nil,
            accessSchedule: ACSAccessSchedule? = nil
        ) {
            self.acsSystemID = acsSystemID
            self.fullName = fullName
            self.userIdentityID = userIdentityID
            self.emailAddress = emailAddress
            self.phoneNumber = phoneNumber
            self.acsAccessGroupIDs = acsAccessGroupIDs
            self.accessSchedule = accessSchedule
        }

        enum CodingKeys: String, CodingKey {
            case acsSystemID = "acs_system_id"
            case fullName = "full_name"
            case userIdentityID = "user_identity_id"
            case emailAddress = "email_address"
            case phoneNumber = "phone_number"
            case acsAccessGroupIDs = "acs_access_group_ids"
            case accessSchedule = "access_schedule"
        }
    }

    /// Identifies one ACS user: by id, or by user identity within a system.
    public struct UserSelector: Sendable, Equatable {
        public var acsUserID: String?
        public var userIdentityID: String?
        public var acsSystemID: String?

        public static func id(_ acsUserID: String) -> UserSelector {
            UserSelector(acsUserID: acsUserID, userIdentityID: nil, acsSystemID: nil)
        }

        public static func userIdentity(_ userIdentityID: String, acsSystemID: String) -> UserSelector {
            UserSelector(acsUserID: nil, userIdentityID: userIdentityID, acsSystemID: acsSystemID)
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

        public var acsSystemID: String?
        public var userIdentityID: String?
        public var userIdentityEmailAddress: String?
        public var userIdentityPhoneNumber: String?
        public var search: String?
        public var createdBefore: String?
        public var limit: Int?
        public var pageCursor: String?

        public init(
            acsSystemID: String? = nil,
            userIdentityID: String? = nil,
            userIdentityEmailAddress: String? = nil,
            userIdentityPhoneNumber: String? = nil,
            search: String? = nil,
            createdBefore: String? = nil,
            limit: Int? = nil,
            pageCursor: String? = nil
        ) {
            self.acsSystemID = acsSystemID
            self.userIdentityID = userIdentityID
            self.userIdentityEmailAddress = userIdentityEmailAddress
            self.userIdentityPhoneNumber = userIdentityPhoneNumber
            self.search = search
            self.createdBefore = createdBefore
            self.limit = limit
            self.pageCursor = pageCursor
        }

        enum CodingKeys: String, CodingKey {
            case acsSystemID = "acs_system_id"
            case userIdentityID = "user_identity_id"
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

        public var acsUserID: String
        public var acsAccessGroupID: String

        public init(acsUserID: String, acsAccessGroupID: String) {
            self.acsUserID = acsUserID
            self.acsAccessGroupID = acsAccessGroupID
        }

        enum CodingKeys: String, CodingKey {
            case acsUserID = "acs_user_id"
            case acsAccessGroupID = "acs_access_group_id"
        }
    }

    /// `acs/users/remove_from_access_group`.
    public struct RemoveFromAccessGroup: SeamRequest, Equatable {
        public typealias Response = SeamOKResponse
        public static let path = "acs/users/remove_from_access_group"
        public static let operation = SeamOperation.update

        public var acsAccessGroupID: String
        public var acsUserID: String?
        public var userIdentityID: String?

        public init(acsAccessGroupID: String, acsUserID: String? = nil, userIdentityID: String? = nil) {
            self.acsAccessGroupID = acsAccessGroupID
            self.acsUserID = acsUserID
            self.userIdentityID = userIdentityID
        }

        enum CodingKeys: String, CodingKey {
            case acsAccessGroupID = "acs_access_group_id"
            case acsUserID = "acs_user_id"
            case userIdentityID = "user_identity_id"
        }
    }
}

extension ACSUserRequests.UserSelector {
    private enum CodingKeys: String, CodingKey {
        case acsUserID = "acs_user_id"
        case userIdentityID = "user_identity_id"
        case acsSystemID = "acs_system_id"
    }

    func encode(into encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(acsUserID, forKey: .acsUserID)
        try container.encodeIfPresent(userIdentityID, forKey: .userIdentityID)
        try container.encodeIfPresent(acsSystemID, forKey: .acsSystemID)
    }
}
