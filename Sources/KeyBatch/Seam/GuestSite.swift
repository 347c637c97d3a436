/// The natural key of an ACS user: one guest (a user identity, found by email) on one site (an
/// ACS system). Seam links an identity to one ACS user per access control system, and addresses
/// that user by `user_identity_id` + `acs_system_id`, so a guest holds one ACS user, and one
/// mobile key, per site, whatever number of stays they have there.
public struct GuestSite: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Normalised (lower-cased) by validation, as the identity lookup compares it.
    public var guestEmail: String
    public var acsSystemID: String

    public init(guestEmail: String, acsSystemID: String) {
        self.guestEmail = guestEmail
        self.acsSystemID = acsSystemID
    }

    public static func < (lhs: GuestSite, rhs: GuestSite) -> Bool {
        (lhs.acsSystemID, lhs.guestEmail) < (rhs.acsSystemID, rhs.guestEmail)
    }

    public var description: String { "\(guestEmail) on \(acsSystemID)" }
}
