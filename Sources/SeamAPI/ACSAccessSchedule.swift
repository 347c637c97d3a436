/// `access_schedule` of an ACS user, as ISO 8601 strings with a `Z` offset (the caller formats
/// them, e.g. `2024-11-01T15:00:00.000Z`). `endsAt` nil means open-ended.
/// Used both in requests and in responses.
public struct ACSAccessSchedule: Codable, Sendable, Equatable {
    public var startsAt: String?
    public var endsAt: String?

    public init(startsAt: String?, endsAt: String?) {
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    enum CodingKeys: String, CodingKey {
        case startsAt = "starts_at"
        case endsAt = "ends_at"
    }
}
