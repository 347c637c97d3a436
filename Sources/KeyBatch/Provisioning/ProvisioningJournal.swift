/// Where a run writes down, ahead of time, what it is about to do to Seam, and right after, what
/// Seam now holds, so that a crash or Ctrl-C at any moment leaves a record the next run can
/// finish from: an announced create without its id is resolved by a natural-key lookup, never by
/// a second create. `StateJournal` keeps it in SQLite; `--no-state` runs use `NoJournal`.
///
/// Two kinds of entry: a reservation (what it asks for, where its row stands) and a guest's user
/// on a site (the ids Seam holds, shared by the guest's stays there).
public protocol ProvisioningJournal: Sendable {
    /// A row is about to be worked on: record what it asks for (`partial` until it is settled).
    func begin(_ reservation: Reservation, listing: Listing) async throws
    /// The row is done as far as Seam's answers go: where the reservation now stands. `owesLink`
    /// (`--instant-keys`, a provisioned row): its guest's link is owed until a finished results
    /// file holds it.
    func settle(reservationID: String, status: StateRecord.Status, owesLink: Bool) async throws
    /// A finished results file holds these reservations' links (or Seam's refusal of them).
    func linksDelivered(_ reservationIDs: [String]) async throws
    /// The row stopped short; the next run resumes it.
    func fail(reservationID: String, error: String) async throws

    /// A create for the guest's user on the site is about to be sent.
    func willCreate(_ step: ProvisioningStep, site: GuestSite) async throws
    /// Seam now holds `keys` for the guest on the site after `step` (any announced create they
    /// include is resolved, and a groups step resolves memberships the state could not vouch for).
    /// `awaiting`: what the site has yet to confirm (nil leaves it as it is, `.some(nil)` clears
    /// it); `deleted`: the user was deleted, its id kept until the site confirms it gone.
    func didProgress(site: GuestSite, keys: ProvisionedKeys, step: ProvisioningStep, awaiting: ActionKind??, deleted: Bool) async throws
    /// Other users of the guest on the site, to delete once the kept one is confirmed.
    func retire(_ users: [RetiredUser], site: GuestSite) async throws
    /// Seam no longer has a retired user.
    func retiredGone(acsUserID: String) async throws
    /// The site applied the last change (a confirmed deletion forgets the user).
    func confirmed(site: GuestSite, forgetACSUser: Bool) async throws
    /// The site refused (or lost) it: the next run deletes the user and makes it again; ids stay.
    /// A schedule or memberships the site rolled back are only forgotten, and set again.
    func refused(site: GuestSite, issue: SeamIssue) async throws
    /// The site's work stopped short: the error (every id was saved as Seam returned it; `keys`
    /// are for a journal that keeps no other record).
    func fail(site: GuestSite, keys: ProvisionedKeys, error: String) async throws
}

/// The journal of a run without a state file: it keeps nothing, so every site is looked up in Seam.
public struct NoJournal: ProvisioningJournal {
    public init() {}
    public func begin(_ reservation: Reservation, listing: Listing) async throws {}
    public func settle(reservationID: String, status: StateRecord.Status, owesLink: Bool) async throws {}
    public func linksDelivered(_ reservationIDs: [String]) async throws {}
    public func fail(reservationID: String, error: String) async throws {}
    public func willCreate(_ step: ProvisioningStep, site: GuestSite) async throws {}
    public func didProgress(site: GuestSite, keys: ProvisionedKeys, step: ProvisioningStep, awaiting: ActionKind??, deleted: Bool) async throws {}
    public func retire(_ users: [RetiredUser], site: GuestSite) async throws {}
    public func retiredGone(acsUserID: String) async throws {}
    public func confirmed(site: GuestSite, forgetACSUser: Bool) async throws {}
    public func refused(site: GuestSite, issue: SeamIssue) async throws {}
    public func fail(site: GuestSite, keys: ProvisionedKeys, error: String) async throws {}
}
