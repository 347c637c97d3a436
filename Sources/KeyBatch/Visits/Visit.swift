/// A guest's stays on one site that overlap or lie less than `--join-gap` apart: one access
/// schedule, from the first check-in to the last check-out, and the union of their listings'
/// access groups. The guest's one ACS user on the site holds one visit at a time.
public struct Visit: Sendable, Hashable {
    public var startsAt: Timestamp
    public var endsAt: Timestamp
    /// Sorted, without repeats.
    public var accessGroupIDs: [String]
    /// The stays it joins, in check-in order.
    public var reservationIDs: [String]

    public var schedule: AccessSchedule { AccessSchedule(startsAt: startsAt, endsAt: endsAt) }

    /// The visits of `stays` (live ones only), earliest first. Pure.
    public static func visits(of stays: [SiteStay], joinGap: Duration) -> [Visit] {
        let gap = Int64(joinGap.components.seconds) * 1000 + Int64(joinGap.components.attoseconds / 1_000_000_000_000_000)
        let live = stays.filter { $0.standing == .live }
            .sorted { ($0.checkIn, $0.checkOut, $0.reservationID) < ($1.checkIn, $1.checkOut, $1.reservationID) }
        var visits: [Visit] = []
        var groups: Set<String> = []
        for stay in live {
            if var last = visits.last, stay.checkIn.millisecondsSinceEpoch < last.endsAt.millisecondsSinceEpoch + gap {
                last.endsAt = max(last.endsAt, stay.checkOut)
                last.reservationIDs.append(stay.reservationID)
                groups.formUnion(stay.accessGroupIDs)
                last.accessGroupIDs = groups.sorted()
                visits[visits.count - 1] = last
            } else {
                groups = Set(stay.accessGroupIDs)
                visits.append(Visit(startsAt: stay.checkIn, endsAt: stay.checkOut, accessGroupIDs: groups.sorted(),
                                    reservationIDs: [stay.reservationID]))
            }
        }
        return visits
    }
}
