/// The `action` column of results and plan files: what a run set out to do with a row.
public enum ActionKind: String, Sendable, CaseIterable, Comparable {
    /// Nothing to send: the row is invalid, expired, or already as it should be.
    case none
    /// A reservation Seam has nothing for (as far as the state knows): made from scratch.
    case create
    /// An earlier run stopped half-way: finished from where it got to.
    case resume
    /// Dates, listing groups or status changed: brought up to date.
    case update
    /// The guest's email or the listing's ACS system changed: the old ACS user goes, a new one is made.
    case replace
    /// A cancelled reservation, or one gone from the file under `--sync`.
    case revoke
    /// Check-out has passed and `--cleanup-expired` removes the ACS user.
    case cleanup
    /// Nothing to send: an earlier run's change is re-checked until the Salto KS site confirms it.
    case confirm
    /// `--verify`: Seam had drifted from the state (changed behind KeyBatch's back): mended.
    case repair

    public static func < (lhs: ActionKind, rhs: ActionKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
