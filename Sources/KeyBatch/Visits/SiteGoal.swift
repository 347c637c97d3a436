/// What Seam should hold for one guest on one site tonight, from the guest's stays there.
public enum SiteGoal: Sendable, Hashable {
    /// The guest's ACS user holds `current` (the earliest visit not over: its schedule and
    /// groups); `later` visits wait their turn (their rows are `deferred`), and the first run after
    /// `current` ends moves the user to the next one.
    case hold(current: Visit, later: [Visit])
    /// No live stay is left and some access must end (a cancellation, a stay dropped or moved, an
    /// early departure, or `--cleanup-expired`): the user, and its key, go.
    case remove
    /// No live stay and nothing to end: stays already over keep what Seam holds (a schedule in the
    /// past opens nothing), as they always have without `--cleanup-expired`.
    case leave

    /// The goal of a guest's stays on a site. Pure.
    public static func of(_ stays: [SiteStay], joinGap: Duration, cleanupExpired: Bool) -> SiteGoal {
        let visits = Visit.visits(of: stays, joinGap: joinGap)
        if let current = visits.first { return .hold(current: current, later: Array(visits.dropFirst())) }
        if stays.contains(where: { $0.standing == .ended }) { return .remove }
        if cleanupExpired, stays.contains(where: { $0.standing == .expired }) { return .remove }
        return .leave
    }

    /// The visit the user holds, when it holds one.
    public var current: Visit? {
        if case .hold(let current, _) = self { return current }
        return nil
    }

    /// The visit that holds `reservationID`, and whether it is the current one.
    func visit(holding reservationID: String) -> (visit: Visit, isCurrent: Bool)? {
        guard case .hold(let current, let later) = self else { return nil }
        if current.reservationIDs.contains(reservationID) { return (current, true) }
        return later.first { $0.reservationIDs.contains(reservationID) }.map { ($0, false) }
    }
}
