/// KeyBatch's own `error_code`s for rows that fail for a reason of the run rather than of the row's
/// fields (those are `RowErrorCode`) or of Seam (Seam's error types pass through as they are).
/// Scripts match on them, so a code is never renamed once released.
public enum RunErrorCode: String, Sendable, CaseIterable {
    /// A bug or an unexpected error; the message says what.
    case internalError = "internal_error"
    /// The run stopped (Ctrl-C past the drain deadline, a 401) before Seam answered this row.
    case interrupted
    /// Seam answered, but the state file could not record it; the ids are in the results row.
    case stateWriteFailed = "state_write_failed"
    /// The listing's ACS system is not in the Seam workspace.
    case unknownACSSystem = "unknown_acs_system"
    /// The listing's ACS system is not a Salto KS site (KeyBatch makes Salto KS mobile keys only).
    case unsupportedACSSystem = "unsupported_acs_system"
    /// One of the listing's access groups is not on its ACS system.
    case unknownAccessGroup = "unknown_access_group"
    /// `--sync` would revoke more than `--max-revocations` allows (`plan` only).
    case revocationGuard = "revocation_guard"
}
