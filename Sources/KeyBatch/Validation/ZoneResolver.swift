import Foundation

/// Turns local wall-clock times into instants for one IANA zone (`--timezone Europe/Prague`),
/// following that zone's daylight-saving rules for the date in question.
public struct ZoneResolver: Sendable {
    public let identifier: String
    private let zone: TimeZone

    /// Returns nil for an identifier the system's zone database does not know.
    public init?(identifier: String) {
        guard identifier.contains("/") || identifier == "UTC", let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.zone = zone
    }

    /// The instant at which clocks in this zone show `local`.
    ///
    /// A wall time that occurs twice (clocks going back) resolves to the first occurrence; one that
    /// never occurs (clocks going forward) resolves with the offset in force before the jump, so it
    /// lands just after the gap, as most calendaring systems do.
    public func instant(for local: LocalDateTime) -> Timestamp {
        let naive = local.asIfUTC
        // Offsets change at most once in any 48 hours, so the offsets a day either side are the
        // only two candidates; each is right if the instant it gives really has that offset.
        let offsetBefore = offsetSeconds(at: naive.adding(seconds: -86_400))
        let offsetAfter = offsetSeconds(at: naive.adding(seconds: 86_400))
        let candidates = [offsetBefore, offsetAfter]
            .map { offset in (offset: offset, instant: naive.adding(seconds: -offset)) }
            .filter { offsetSeconds(at: $0.instant) == $0.offset }
            .map(\.instant)
        return candidates.min() ?? naive.adding(seconds: -offsetBefore)
    }

    private func offsetSeconds(at instant: Timestamp) -> Int64 {
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        return Int64(zone.secondsFromGMT(for: date))
    }
}
