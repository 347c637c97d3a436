/// Bodies of the `acs/access_groups/*` endpoints (read-only; `list` does not paginate).
public enum ACSAccessGroupRequests {
    /// `acs/access_groups/get`.
    public struct Get: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSAccessGroup>
        public static let path = "acs/access_groups/get"
        public static let operation = SeamOperation.read

        public var acsAccessGroupId: String

        public init(acsAccessGroupId: String) { self.acsAccessGroupId = acsAccessGroupId }

        enum CodingKeys: String, CodingKey {
            case acsAccessGroupId = "acs_access_group_id"
        }
    }

    /// `acs/access_groups/list`; with `acsUserId`, the groups that user belongs to.
    public struct List: SeamRequest, Equatable {
        public typealias Response = SeamPage<ACSAccessGroup>
        public static let path = "acs/access_groups/list"
        public static let operation = SeamOperation.read

        public var acsSystemId: String?
        public var acsUserId: String?
        public var userIdentityId: String?
        public var search: String?

        public init(acsSystemId: String? = nil, acsUserId: String? = nil, userIdentityId: String? = nil, search: String? = nil) {
            self.acsSystemId = acsSystemId
            self.acsUserId = acsUserId
            self.userIdentityId = userIdentityId
            self.search = search
        }

        enum CodingKeys: String, CodingKey {
            case acsSystemId = "acs_system_id"
            case acsUserId = "acs_user_id"
            case userIdentityId = "user_identity_id"
            case search
        }
    }
}
