/// A Seam instant key: a link that opens the guest's mobile key in Seam's instant-key app (no
/// app to install). Only the id and the URL are required; everything else may be missing in a
/// newer API version.
public struct InstantKey: SeamResource, Equatable {
    public static let singleKey = "instant_key"
    public static let listKey = "instant_keys"

    public var instantKeyID: String
    public var instantKeyURL: String
    public var userIdentityID: String?
    /// ISO 8601 timestamps as Seam sent them.
    public var createdAt: String?
    public var expiresAt: String?

    public init(instantKeyID: String, instantKeyURL: String, userIdentityID: String? = nil, createdAt: String? = nil, expiresAt: String? = nil) {
        self.instantKeyID = instantKeyID
        self.instantKeyURL = instantKeyURL
        self.userIdentityID = userIdentityID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case instantKeyID = "instant_key_id"
        case instantKeyURL = "instant_key_url"
        case userIdentityID = "user_identity_id"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }
}
