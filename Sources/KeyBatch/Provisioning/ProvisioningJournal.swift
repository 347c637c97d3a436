/// Where the provisioner announces a create before making it and records its id right after,
/// so that a crash between the two is resolved by a lookup on the next run, never by a second
/// create. `StateJournal` keeps it in SQLite; `--no-state` runs use `NoJournal`.
public protocol ProvisioningJournal: Sendable {
    func willCreate(_ step: ProvisioningStep, reservationID: String) async throws
    func didProgress(reservationID: String, keys: ProvisionedKeys) async throws
}

/// The journal of a run without a state file: it keeps nothing, so every row is looked up in Seam.
public struct NoJournal: ProvisioningJournal {
    public init() {}
    public func willCreate(_ step: ProvisioningStep, reservationID: String) async throws {}
    public func didProgress(reservationID: String, keys: ProvisionedKeys) async throws {}
}
