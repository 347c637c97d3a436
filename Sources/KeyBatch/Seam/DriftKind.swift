/// How what Seam holds for an ACS user differs from what the state file believes (`export`'s
/// `drift` column). One kind per row: the first that applies, in the order below, so the most
/// serious difference is the one shown.
public enum DriftKind: String, Sendable, CaseIterable, Comparable {
    /// Seam holds what the state says, and the site has it.
    case ok
    /// The state says the reservation was revoked, and Seam still holds its ACS user (not being
    /// deleted): a guest who should have lost access has not.
    case notRevoked = "not_revoked"
    /// Seam accepted a deletion the site has not finished.
    case beingDeleted = "being_deleted"
    /// The site refused the user or its key (`acs_user.errors`, `acs_credential.errors`).
    case seamError = "seam_error"
    /// The access schedule is not the stay the state recorded.
    case scheduleDiffers = "schedule_differs"
    /// The user's access groups are not its listing's.
    case groupsDiffer = "groups_differ"
    /// The state's mobile key is not on the user.
    case credentialMissing = "credential_missing"
    /// The key is there and not yet on the guest's phones (`is_latest_desired_state_synced_with_provider`).
    case credentialNotSynced = "credential_not_synced"
    /// An ACS user on these systems the state does not know: made by hand or by another tool.
    case unknownToState = "unknown_to_state"
    /// A reservation the state says holds keys, and Seam has no ACS user for it.
    case missingInSeam = "missing_in_seam"

    /// Worth an alert: not `ok`, not a stranger the state never made (reported, never touched),
    /// and not Seam still at work (`being_deleted`, `credential_not_synced`), which a weekly cron
    /// would otherwise mail about for routine states.
    public var isAlarm: Bool { ![.ok, .unknownToState, .beingDeleted, .credentialNotSynced].contains(self) }

    public static func < (lhs: DriftKind, rhs: DriftKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
