/// Bodies of the `acs/systems/*` endpoints (read-only; `list` does not paginate).
public enum ACSSystemRequests {
    /// `acs/systems/get`.
    public struct Get: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSSystem>
        public static let path = "acs/systems/get"
        public static let operation = SeamOperation.read

        public var acsSystemId: String

        public init(acsSystemId: String) { self.acsSystemId = acsSystemId }

        enum CodingKeys: String, CodingKey {
            case acsSystemId = "acs_system_id"
        }
    }

    /// `acs/systems/list`.
    public struct List: SeamRequest, Equatable {
        public typealias Response = SeamPage<ACSSystem>
        public static let path = "acs/systems/list"
        public static let operation = SeamOperation.read

        public var connectedAccountId: String?
        public var customerKey: String?
        public var search: String?

        public init(connectedAccountId: String? = nil, customerKey: String? = nil, search: String? = nil) {
            self.connectedAccountId = connectedAccountId
            self.customerKey = customerKey
            self.search = search
        }

        enum CodingKeys: String, CodingKey {
            case connectedAccountId = "connected_account_id"
            case customerKey = "customer_key"
            case search
        }
    }
}
