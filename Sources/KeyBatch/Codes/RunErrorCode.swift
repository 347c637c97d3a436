/// KeyBatch's own `error_code`s for rows that fail for a reason of the run, or of KeyBatch's own
/// check of what the site holds, rather than of the row's fields (those are `RowErrorCode`) or of
/// Seam (Seam's error types pass through as they are, as `SeamCode`).
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
    /// The site shows the user settled with another access schedule than the one set: a refused
    /// update rolled back, whose error a later change cleared. The next run sends the schedule
    /// again (it does not replace the user).
    case accessScheduleNotHeld = "access_schedule_not_held"
    /// The site shows the user settled in other access groups than the ones set: a membership
    /// change rolled back (or made by someone else). The next run reads the user's groups from
    /// Seam and adds or removes the difference (it does not replace the user).
    case accessGroupsNotHeld = "access_groups_not_held"
}
