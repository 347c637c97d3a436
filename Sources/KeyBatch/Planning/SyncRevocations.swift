/// `--sync`: which reservations the state holds and tonight's file lacks, and whether revoking
/// them is allowed. Pure, shared by `plan` and `provision` so both decide the same way.
public struct SyncRevocations: Sendable {
    /// Records with keys whose reservation id is not in the file.
    public let absent: [StateRecord]
    /// Set when more current stays are missing than the guard allows: then nothing is revoked.
    public let blockedReason: String?

    /// - Parameters:
    ///   - active: the state's records that may hold keys.
    ///   - seen: every reservation id in tonight's file, readable or not.
    ///   - limit: `--max-revocations` (or its default).
    public init(active: [StateRecord], seen: Set<String>, now: Timestamp, limit: Int) {
        absent = active.filter { !seen.contains($0.reservationID) }
        // Stays already over are routinely dropped from exports, and deletions already made only
        // await the site's confirmation: neither counts against the guard.
        let upcoming = absent.filter { $0.checkOut > now && !$0.awaitsDeletion }.count
        blockedReason = upcoming > limit
            ? "--sync would revoke \(upcoming) current reservations missing from the file, more than --max-revocations \(limit); nothing was revoked (is the export truncated?)"
            : nil
    }

    /// What a run does with an absent record: a deletion Seam accepted on an earlier night is
    /// only re-checked, never sent again; anything else is revoked.
    public static func action(for record: StateRecord) -> PlannedAction {
        record.awaitsDeletion ? .confirm(record) : .revokeAbsent(record)
    }
}
