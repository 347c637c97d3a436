import Foundation
import Testing
@testable import SeamSandbox

@Suite struct SeamTimestampTests {
    @Test func formatsUTCWithMillisecondsAndZ() {
        #expect(SeamTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(SeamTimestamp.format(Date(timeIntervalSince1970: 1_730_473_200.5)) == "2024-11-01T15:00:00.500Z")
    }

    @Test func parsesZoneFormsAndRejectsLooseOnes() {
        #expect(SeamTimestamp.parse("2024-11-01T15:00:00.000Z") == Date(timeIntervalSince1970: 1_730_473_200))
        #expect(SeamTimestamp.parse("2024-11-01T15:00:00Z") == Date(timeIntervalSince1970: 1_730_473_200))
        #expect(SeamTimestamp.parse("2024-11-01T16:00:00+01:00") == Date(timeIntervalSince1970: 1_730_473_200))
        #expect(SeamTimestamp.parse("2024-02-29T00:00:00Z") != nil)
        for bad in ["2024-11-01", "2024-11-01T15:00:00", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "tomorrow", "2024-11-01T15:00:00.Z"] {
            #expect(SeamTimestamp.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func roundTrips() {
        for seconds in [0.0, 1_700_000_000.123, 4_102_444_800.999] {
            let date = Date(timeIntervalSince1970: seconds)
            let parsed = SeamTimestamp.parse(SeamTimestamp.format(date))
            #expect(abs((parsed?.timeIntervalSince1970 ?? 0) - seconds) < 0.001)
        }
    }
}
