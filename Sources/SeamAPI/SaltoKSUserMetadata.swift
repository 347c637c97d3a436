/// `salto_ks_metadata` of an ACS user on a Salto KS site.
public struct SaltoKSUserMetadata: Decodable, Sendable, Equatable {
    /// Whether the user holds a subscription slot (only subscribed users can open doors).
    public var isSubscribed: Bool?

    public init(isSubscribed: Bool?) { self.isSubscribed = isSubscribed }

    enum CodingKeys: String, CodingKey {
        case isSubscribed = "is_subscribed"
    }
}
