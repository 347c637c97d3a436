/// Decides an ACS user's drift against the state file: pure, so every rule is testable without a
/// server (`ExportTests`). The kinds are checked in `DriftKind`'s order, most serious first.
public enum DriftJudge {
    /// - Parameters:
    ///   - record: the state's record whose ACS user id is this user's, if any.
    ///   - desiredGroups: the access groups the user should be in (its listing's), when known.
    public static func judge(_ user: ACSUserState, keys: [CredentialState], groups: Set<String>,
                             record: StateRecord?, desiredGroups: Set<String>?) -> DriftKind {
        guard let record else { return .unknownToState }
        if record.awaitsDeletion {
            // Seam accepted the deletion: still going, refused, or lost (the guest keeps access).
            return user.isBeingDeleted ? .beingDeleted : user.errors.isEmpty ? .notRevoked : .seamError
        }
        guard record.holdsKeys else { return user.isBeingDeleted ? .beingDeleted : .notRevoked }
        if user.isBeingDeleted { return .beingDeleted }
        let mobileKeys = keys.filter(\.isMobileKey)
        if !user.errors.isEmpty || mobileKeys.contains(where: { !$0.errors.isEmpty }) { return .seamError }
        if user.schedule != AccessSchedule(startsAt: record.checkIn, endsAt: record.checkOut) { return .scheduleDiffers }
        if let desiredGroups, groups != desiredGroups { return .groupsDiffer }
        if mobileKeys.isEmpty || record.keys.acsCredentialID.map({ id in !mobileKeys.contains { $0.acsCredentialID == id } }) == true {
            return .credentialMissing
        }
        if mobileKeys.contains(where: { !$0.isSynced }) { return .credentialNotSynced }
        return .ok
    }

    /// A record the state says holds keys on an exported system, whose ACS user Seam does not have.
    public static func isMissing(_ record: StateRecord, seamUserIDs: Set<String>) -> Bool {
        guard record.holdsKeys, !record.awaitsDeletion, let acsUserID = record.keys.acsUserID else { return false }
        return !seamUserIDs.contains(acsUserID)
    }
}
