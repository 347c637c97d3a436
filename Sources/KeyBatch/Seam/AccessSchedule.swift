/// When a guest's key works: check-in to check-out, in UTC.
public struct AccessSchedule: Sendable, Hashable {
    public var startsAt: Timestamp
    public var endsAt: Timestamp

    public init(startsAt: Timestamp, endsAt: Timestamp) {
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}
