/// `--sync`: which reservations the state holds and tonight's file lacks, and whether revoking
/// them is allowed. Pure, shared by `plan` and `provision` so both decide the same way.
public struct SyncRevocations: Sendable {
    /// Records of stays that may hold access whose reservation id is not in the file.
    public let absent: [StateRecord]
    /// Set when more current stays are missing than the guard allows: then nothing is revoked.
    public let blockedReason: String?

    /// - Parameters:
    ///   - active: the state's records of stays that may hold access.
    ///   - seen: every reservation id in tonight's file, readable or not.
    ///   - limit: `--max-revocations` (or its default), counted in stays.
    public init(active: [StateRecord], seen: Set<String>, now: Timestamp, limit: Int) {
        absent = active.filter { !seen.contains($0.reservationID) }
        // Stays already over are routinely dropped from exports: they do not count against the guard.
        let upcoming = absent.filter { $0.checkOut > now && $0.status != .ending }.count
        blockedReason = upcoming > limit
            ? "--sync would revoke \(upcoming) current reservations missing from the file, more than --max-revocations \(limit); nothing was revoked (is the export truncated?)"
            : nil
    }

    /// Whether the dropped stays lose their access tonight.
    public var revokes: Bool { blockedReason == nil }
}
