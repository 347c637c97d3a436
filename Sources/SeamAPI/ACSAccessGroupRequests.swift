/// Bodies of the `acs/access_groups/*` endpoints (read-only; `list` does not paginate).
public enum ACSAccessGroupRequests {
    /// `acs/access_groups/get`.
    public struct Get: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSAccessGroup>
        public static let path = "acs/access_groups/get"
        public static let operation = SeamOperation.read

        public var acsAccessGroupID: String

        public init(acsAccessGroupID: String) { self.acsAccessGroupID = acsAccessGroupID }

        enum CodingKeys: String, CodingKey {
            case acsAccessGroupID = "acs_access_group_id"
        }
    }

    /// `acs/access_groups/list`; with `acsUserID`, the groups that user belongs to.
    public struct List: SeamRequest, Equatable {
        public typealias Response = SeamPage<ACSAccessGroup>
        public static let path = "acs/access_groups/list"
        public static let operation = SeamOperation.read

        public var acsSystemID: String?
        public var acsUserID: String?
        public var userIdentityID: String?
        public var search: String?

        public init(acsSystemID: String? = nil, acsUserID: String? = nil, userIdentityID: String? = nil, search: String? = nil) {
            self.acsSystemID = acsSystemID
            self.acsUserID = acsUserID
            self.userIdentityID = userIdentityID
            self.search = search
        }

        enum CodingKeys: String, CodingKey {
            case acsSystemID = "acs_system_id"
            case acsUserID = "acs_user_id"
            case userIdentityID = "user_identity_id"
            case search
        }
    }

    /// `acs/access_groups/list_users`: the ACS users of one group (not paginated).
    public struct ListUsers: SeamRequest, Equatable {
        public typealias Response = SeamPage<ACSUser>
        public static let path = "acs/access_groups/list_users"
        public static let operation = SeamOperation.read

        public var acsAccessGroupID: String

        public init(acsAccessGroupID: String) { self.acsAccessGroupID = acsAccessGroupID }

        enum CodingKeys: String, CodingKey {
            case acsAccessGroupID = "acs_access_group_id"
        }
    }
}
