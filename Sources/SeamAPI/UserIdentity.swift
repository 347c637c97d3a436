/// A Seam user identity: the guest, matched across ACS users by email/phone/key.
/// Only `userIdentityID` is required; everything else may be missing in a newer API version.
public struct UserIdentity: SeamResource, Equatable {
    public static let singleKey = "user_identity"
    public static let listKey = "user_identities"

    public var userIdentityID: String
    public var userIdentityKey: String?
    public var emailAddress: String?
    public var phoneNumber: String?
    public var fullName: String?
    /// ISO 8601 timestamp as Seam sent it.
    public var createdAt: String?

    public init(
        userIdentityID: String,
        userIdentityKey: String? = nil,
        emailAddress: String? = nil,
        phoneNumber: String? = nil,
        fullName: String? = nil,
        createdAt: String? = nil
    ) {
        self.userIdentityID = userIdentityID
        self.userIdentityKey = userIdentityKey
        self.emailAddress = emailAddress
        self.phoneNumber = phoneNumber
        self.fullName = fullName
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case userIdentityID = "user_identity_id"
        case userIdentityKey = "user_identity_key"
        case emailAddress = "email_address"
        case phoneNumber = "phone_number"
        case fullName = "full_name"
        case createdAt = "created_at"
    }
}
