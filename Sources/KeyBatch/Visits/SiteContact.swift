/// What the guest's rows on a site say of the guest, for a new user identity and the ACS user's
/// `full_name`, which Salto KS staff see: the guest's name, or the email when there is none (the
/// reservation ids stay in the state and the results).
public struct SiteContact: Sendable, Hashable {
    public var guestName: String?
    public var guestPhone: String?

    public init(guestName: String? = nil, guestPhone: String? = nil) {
        self.guestName = guestName
        self.guestPhone = guestPhone
    }

    public func fullName(for site: GuestSite) -> String {
        guard let name = guestName, !name.isEmpty else { return site.guestEmail }
        return name
    }
}
