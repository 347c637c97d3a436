import Foundation
import Testing
@testable import SeamAPI

@Suite struct SeamTimestampTests {
    @Test func formatsUTCWithMillisecondsAndZ() {
        let date = Date(timeIntervalSince1970: 1_730_473_200.25) // 2024-11-01T15:00:00.250Z
        #expect(SeamTimestamp.string(from: date) == "2024-11-01T15:00:00.250Z")
    }

    @Test func parsesWithAndWithoutFractionalSeconds() {
        #expect(SeamTimestamp.date(from: "2024-11-01T15:00:00.000Z") == Date(timeIntervalSince1970: 1_730_473_200))
        #expect(SeamTimestamp.date(from: "2024-11-01T15:00:00Z") == Date(timeIntervalSince1970: 1_730_473_200))
        #expect(SeamTimestamp.date(from: "1 Nov 2024") == nil)
    }

    @Test func roundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123)
        let parsed = try #require(SeamTimestamp.date(from: SeamTimestamp.string(from: date)))
        #expect(abs(parsed.timeIntervalSince(date)) < 0.001)
    }
}
