/// Decides, from what Seam shows now, whether a row reached its goal. Pure: observations in,
/// verdict out, so every rule of "never report more than Seam has confirmed" is tested alone.
public enum ConfirmationJudge {
    /// KeyBatch's code for a user the site shows settled with another schedule than the one set:
    /// a refused update rolled back, whose error a later change cleared. The next run sends the
    /// schedule again (it does not replace the user).
    public static let scheduleNotHeld = "access_schedule_not_held"

    /// - Parameters:
    ///   - user: the ACS user as Seam shows it; nil when Seam no longer has it.
    ///   - credential: the key as Seam shows it; nil when Seam no longer has it.
    ///   - groups: the access groups Seam shows the user in, when they were looked at (a row is
    ///     never confirmed without them: a membership the site refused is rolled back, and a later
    ///     success can clear the error that said so).
    public static func judge(_ expectation: Expectation, user: ACSUserState?, credential: CredentialState?,
                             groups: Set<String>? = nil) -> ConfirmationVerdict {
        switch expectation {
        case .absent:
            guard let user else { return .confirmed(warnings: []) }
            // A deletion in progress wins over the error an earlier refused one left behind
            // (whether Seam clears that error on a new delete is not documented).
            if !user.isBeingDeleted, let refusal = user.errors.first(where: { $0.code == "failed_to_delete_on_acs_system" }) {
                return .refused(refusal)
            }
            return .pending(reason: "the ACS user is still being deleted on the site")
        case .present:
            guard let user else {
                return .missing(SeamIssue(code: "acs_user_not_found", message: "the ACS user was deleted in Seam before the site confirmed it"))
            }
            if let error = user.errors.first { return .refused(error) }
            if user.isBeingDeleted {
                return .missing(SeamIssue(code: "acs_user_not_found", message: "the ACS user is being deleted in Seam"))
            }
            if !user.pendingMutations.isEmpty {
                return .pending(reason: "the ACS user is not yet on the site (\(user.pendingMutations.joined(separator: ", ")))")
            }
            // Settled, yet not in a group the row added it to: the site undid the membership (a
            // refusal whose error a later change cleared) or someone removed it. Refused under
            // KeyBatch's own code: the next run replaces the user. Likewise a schedule the site
            // rolled back (the chaos soak found it): compared to the second, and a start already
            // past may read as later (whether Seam moves it to "now" is not documented).
            if let wanted = expectation.schedule, let shown = user.schedule, !Self.holds(shown, wanted) {
                return .refused(SeamIssue(code: scheduleNotHeld,
                                          message: "Seam shows the ACS user's access schedule as \(shown.startsAt.iso8601) to \(shown.endsAt.iso8601), not \(wanted.startsAt.iso8601) to \(wanted.endsAt.iso8601)"))
            }
            let wanted = expectation.accessGroupIDs
            if !wanted.isEmpty {
                guard let groups else { return .pending(reason: "the ACS user's access groups are not checked yet") }
                let missing = wanted.subtracting(groups)
                if !missing.isEmpty {
                    return .refused(SeamIssue(code: "access_group_not_held",
                                              message: "Seam does not show the ACS user in access group\(missing.count == 1 ? "" : "s") \(missing.sorted().joined(separator: ", "))"))
                }
            }
            guard let credential else {
                return .missing(SeamIssue(code: "acs_credential_not_found", message: "the mobile key was deleted in Seam before the site issued it"))
            }
            if let error = credential.errors.first { return .refused(error) }
            guard credential.isSynced else { return .pending(reason: "the mobile key is not yet issued on the site") }
            return .confirmed(warnings: orderedUnique(user.warnings + credential.warnings))
        }
    }

    /// Whether the schedule Seam shows is the one set: the same end, and the same start or, for a
    /// start already past, one no later than now.
    static func holds(_ shown: AccessSchedule, _ wanted: AccessSchedule, now: Timestamp = .now()) -> Bool {
        func seconds(_ time: Timestamp) -> Int64 { time.millisecondsSinceEpoch / 1000 }
        guard seconds(shown.endsAt) == seconds(wanted.endsAt) else { return false }
        if seconds(shown.startsAt) == seconds(wanted.startsAt) { return true }
        return wanted.startsAt < now && shown.startsAt >= wanted.startsAt && seconds(shown.startsAt) <= seconds(now) + 60
    }

    private static func orderedUnique(_ codes: [String]) -> [String] {
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }
}
