/// Decides an ACS user's drift against the state file: pure, so every rule is testable without a
/// server (`ExportTests`). The kinds are checked in `DriftKind`'s order, most serious first.
public enum DriftJudge {
    /// - Parameters:
    ///   - record: the state's record of the guest's site whose user this is (by id, or, for a
    ///     record holding none, by identity and system), if any.
    public static func judge(_ user: ACSUserState, keys: [CredentialState], groups: Set<String>, record: GuestSiteRecord?) -> DriftKind {
        guard let record else { return .unknownToState }
        if record.awaitsDeletion || record.retired.contains(where: { $0.acsUserID == user.acsUserID }) {
            // Seam accepted (or is owed) the deletion: still going, refused, or lost (the guest keeps access).
            return user.isBeingDeleted ? .beingDeleted : user.errors.isEmpty ? .notRevoked : .seamError
        }
        guard record.keys.acsUserID == user.acsUserID else { return user.isBeingDeleted ? .beingDeleted : .notRevoked }
        if user.isBeingDeleted { return .beingDeleted }
        let mobileKeys = keys.filter(\.isMobileKey)
        if !user.errors.isEmpty || mobileKeys.contains(where: { !$0.errors.isEmpty }) { return .seamError }
        if let schedule = record.keys.schedule, user.schedule != schedule { return .scheduleDiffers }
        if groups != Set(record.keys.accessGroupIDs) { return .groupsDiffer }
        if mobileKeys.isEmpty || record.keys.acsCredentialID.map({ id in !mobileKeys.contains { $0.acsCredentialID == id } }) == true {
            return .credentialMissing
        }
        if mobileKeys.contains(where: { !$0.isSynced }) { return .credentialNotSynced }
        return .ok
    }

    /// A guest's site the state says holds a user, whose ACS user Seam does not have.
    public static func isMissing(_ record: GuestSiteRecord, seamUserIDs: Set<String>) -> Bool {
        guard !record.awaitsDeletion, let acsUserID = record.keys.acsUserID else { return false }
        return !seamUserIDs.contains(acsUserID)
    }
}
