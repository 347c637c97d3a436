/// Decides, from what Seam shows now, whether a row reached its goal. Pure: observations in,
/// verdict out, so every rule of "never report more than Seam has confirmed" is tested alone.
public enum ConfirmationJudge {
    /// - Parameters:
    ///   - user: the ACS user as Seam shows it; nil when Seam no longer has it.
    ///   - credential: the key as Seam shows it; nil when Seam no longer has it.
    ///   - groups: the access groups Seam shows the user in, when they were looked at (a user is
    ///     never confirmed without them: a membership change the site refused is rolled back, and
    ///     a later success can clear the error that said so).
    public static func judge(_ expectation: Expectation, user: ACSUserState?, credential: CredentialState?,
                             groups: Set<String>? = nil) -> ConfirmationVerdict {
        switch expectation {
        case .absent:
            guard let user else { return .confirmed(warnings: []) }
            // A deletion in progress wins over the error an earlier refused one left behind
            // (whether Seam clears that error on a new delete is not documented).
            if !user.isBeingDeleted, let refusal = user.errors.first(where: { $0.code == .seam(.failedToDeleteOnACSSystem) }) {
                return .refused(refusal)
            }
            return .pending(reason: "the ACS user is still being deleted on the site")
        case .present:
            guard let user else {
                return .missing(SeamIssue(seam: .acsUserNotFound, message: "the ACS user was deleted in Seam before the site confirmed it"))
            }
            if let error = user.errors.first { return .refused(error) }
            if user.isBeingDeleted {
                return .missing(SeamIssue(seam: .acsUserNotFound, message: "the ACS user is being deleted in Seam"))
            }
            if !user.pendingMutations.isEmpty {
                return .pending(reason: "the ACS user is not yet on the site (\(user.pendingMutations.joined(separator: ", ")))")
            }
            // Settled, yet in other groups than the ones set: the site undid a membership change
            // (a refusal whose error a later change cleared: the chaos soak found both a group
            // missing and one left over) or someone changed it. A guest in an extra group opens
            // doors no stay gave them. Refused under KeyBatch's own code: the next run sets the
            // groups again. Likewise a schedule the site rolled back: compared to the second, and
            // a start already past may read as later (whether Seam moves it to "now" is not documented).
            if let wanted = expectation.schedule, let shown = user.schedule, !Self.holds(shown, wanted) {
                return .refused(SeamIssue(code: .run(.accessScheduleNotHeld),
                                          message: "Seam shows the ACS user's access schedule as \(shown.startsAt.iso8601) to \(shown.endsAt.iso8601), not \(wanted.startsAt.iso8601) to \(wanted.endsAt.iso8601)"))
            }
            guard let credential else {
                return .missing(SeamIssue(seam: .acsCredentialNotFound, message: "the mobile key was deleted in Seam before the site issued it"))
            }
            // A refused key is acted on first: the user is made again, groups and all.
            if let error = credential.errors.first { return .refused(error) }
            guard let groups else { return .pending(reason: "the ACS user's access groups are not checked yet") }
            if groups != expectation.accessGroupIDs {
                return .refused(SeamIssue(code: .run(.accessGroupsNotHeld), message: Self.groupDifference(shown: groups, wanted: expectation.accessGroupIDs)))
            }
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

    /// "Seam does not show the ACS user in access group g2; Seam shows it also in g9".
    static func groupDifference(shown: Set<String>, wanted: Set<String>) -> String {
        func named(_ groups: Set<String>) -> String { "access group\(groups.count == 1 ? "" : "s") \(groups.sorted().joined(separator: ", "))" }
        let missing = wanted.subtracting(shown), extra = shown.subtracting(wanted)
        var parts: [String] = []
        if !missing.isEmpty { parts.append("Seam does not show the ACS user in \(named(missing))") }
        if !extra.isEmpty { parts.append("Seam shows the ACS user also in \(named(extra)), which no stay of the guest's visit gives") }
        return parts.joined(separator: "; ")
    }

    private static func orderedUnique(_ codes: [String]) -> [String] {
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }
}
