/// An entry of a resource's `warnings` or `errors` array (e.g. `salto_ks_user_not_subscribed`,
/// `failed_to_create_on_acs_system`). `code` is read from `warning_code` or `error_code`.
public struct SeamNotice: Decodable, Sendable, Equatable {
    public var code: String?
    public var message: String?
    public var createdAt: String?

    public init(code: String?, message: String?, createdAt: String? = nil) {
        self.code = code
        self.message = message
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case warningCode = "warning_code"
        case errorCode = "error_code"
        case message
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try? container.decodeIfPresent(String.self, forKey: .warningCode)
            ?? container.decodeIfPresent(String.self, forKey: .errorCode)
        message = try? container.decodeIfPresent(String.self, forKey: .message)
        createdAt = try? container.decodeIfPresent(String.self, forKey: .createdAt)
    }
}
