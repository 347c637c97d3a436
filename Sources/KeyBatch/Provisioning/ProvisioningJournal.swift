/// Where a run writes down, ahead of time, what it is about to do to Seam, and right after, what
/// Seam now holds, so that a crash or Ctrl-C at any moment leaves a record the next run can
/// finish from: an announced create without its id is resolved by a natural-key lookup, never by
/// a second create. `StateJournal` keeps it in SQLite; `--no-state` runs use `NoJournal`.
public protocol ProvisioningJournal: Sendable {
    /// A row is about to be worked on: record what it asks for (keeping what Seam already has).
    func begin(_ reservation: Reservation, listing: Listing) async throws
    /// A create is about to be sent.
    func willCreate(_ step: ProvisioningStep, reservationID: String) async throws
    /// Seam now holds `keys` for this reservation (any announced create is resolved).
    func didProgress(reservationID: String, keys: ProvisionedKeys) async throws
    /// Seam accepted every call of the row: `provisioned`, `revoked` or `cleaned`, with what the
    /// Salto KS site has yet to confirm (`awaiting`; nil when nothing is asked of it).
    func finish(reservationID: String, outcome: JournalOutcome, keys: ProvisionedKeys, awaiting: ActionKind?) async throws
    /// The site applied it: nothing awaited any more (a confirmed deletion forgets the ACS user).
    func confirmed(reservationID: String, forgetACSUser: Bool) async throws
    /// The site refused (or lost) it: the next run retries; the ids stay.
    func refused(reservationID: String, issue: SeamIssue) async throws
    /// The row stopped short; the next run resumes it.
    func fail(reservationID: String, keys: ProvisionedKeys, error: String) async throws
}

/// What a finished row left in Seam, as the state file remembers it.
public enum JournalOutcome: String, Sendable {
    case provisioned
    case revoked
    /// Check-out passed and `--cleanup-expired` deleted the ACS user.
    case cleaned
}

/// The journal of a run without a state file: it keeps nothing, so every row is looked up in Seam.
public struct NoJournal: ProvisioningJournal {
    public init() {}
    public func begin(_ reservation: Reservation, listing: Listing) async throws {}
    public func willCreate(_ step: ProvisioningStep, reservationID: String) async throws {}
    public func didProgress(reservationID: String, keys: ProvisionedKeys) async throws {}
    public func finish(reservationID: String, outcome: JournalOutcome, keys: ProvisionedKeys, awaiting: ActionKind?) async throws {}
    public func confirmed(reservationID: String, forgetACSUser: Bool) async throws {}
    public func refused(reservationID: String, issue: SeamIssue) async throws {}
    public func fail(reservationID: String, keys: ProvisionedKeys, error: String) async throws {}
}
