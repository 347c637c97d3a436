/// Bodies of the `acs/systems/*` endpoints (read-only; `list` does not paginate).
public enum ACSSystemRequests {
    /// `acs/systems/get`.
    public struct Get: SeamRequest, Equatable {
        public typealias Response = SeamSingleResponse<ACSSystem>
        public static let path = "acs/systems/get"
        public static let operation = SeamOperation.read

        public var acsSystemID: String

        public init(acsSystemID: String) { self.acsSystemID = acsSystemID }

        enum CodingKeys: String, CodingKey {
            case acsSystemID = "acs_system_id"
        }
    }

    /// `acs/systems/list`.
    public struct List: SeamRequest, Equatable {
        public typealias Response = SeamPage<ACSSystem>
        public static let path = "acs/systems/list"
        public static let operation = SeamOperation.read

        public var connectedAccountID: String?
        public var customerKey: String?
        public var search: String?

        public init(connectedAccountID: String? = nil, customerKey: String? = nil, search: String? = nil) {
            self.connectedAccountID = connectedAccountID
            self.customerKey = customerKey
            self.search = search
        }

        enum CodingKeys: String, CodingKey {
            case connectedAccountID = "connected_account_id"
            case customerKey = "customer_key"
            case search
        }
    }
}
