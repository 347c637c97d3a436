/// The `action` column of results and plan files: what a run set out to do with a row (with its
/// guest's ACS user on the row's site, which the guest's stays there share).
public enum ActionKind: String, Sendable, CaseIterable, Comparable {
    /// Nothing to send: the row is invalid, expired, deferred, or already as it should be.
    case none
    /// The guest has no user on the site that the state knows of: found (adopted) or made.
    case create
    /// An earlier run stopped half-way: finished from where it got to.
    case resume
    /// The guest's visit changed (dates, listings, a stay added or dropped): the user follows it.
    case update
    /// The visit the user held is over: the user moves to the guest's next visit, with the same key.
    case move
    /// No stay is left on the site (cancelled, or gone from the file under `--sync`): the user goes.
    case revoke
    /// Check-out has passed and `--cleanup-expired` removes the ACS user.
    case cleanup
    /// Nothing to send: an earlier run's change is re-checked until the Salto KS site confirms it.
    case confirm
    /// `--verify`: Seam had drifted from the state (changed behind KeyBatch's back): mended.
    case repair

    public static func < (lhs: ActionKind, rhs: ActionKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
