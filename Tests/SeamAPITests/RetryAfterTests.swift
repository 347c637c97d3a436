import Foundation
import Testing
@testable import SeamAPI

@Suite struct RetryAfterTests {
    private let now = Date(timeIntervalSince1970: 1_445_412_480) // Wed, 21 Oct 2015 07:28:00 GMT

    @Test func parsesDelaySeconds() {
        #expect(RetryAfter.seconds(from: "1", now: now) == 1)
        #expect(RetryAfter.seconds(from: " 120 ", now: now) == 120)
        #expect(RetryAfter.seconds(from: "0", now: now) == 0)
    }

    @Test func parsesIMFFixdate() {
        #expect(RetryAfter.seconds(from: "Wed, 21 Oct 2015 07:28:30 GMT", now: now) == 30)
    }

    @Test func parsesObsoleteDateForms() {
        #expect(RetryAfter.seconds(from: "Wednesday, 21-Oct-15 07:28:10 GMT", now: now) == 10)
        #expect(RetryAfter.seconds(from: "Wed Oct 21 07:28:05 2015", now: now) == 5)
    }

    @Test func pastDateMeansNoWaitAndHugeValuesAreCapped() {
        #expect(RetryAfter.seconds(from: "Wed, 21 Oct 2015 07:00:00 GMT", now: now) == 0)
        #expect(RetryAfter.seconds(from: "999999", now: now) == RetryAfter.maximumSeconds)
        #expect(RetryAfter.seconds(from: "-5", now: now) == 0)
    }

    @Test func rejectsGarbage() {
        #expect(RetryAfter.seconds(from: nil, now: now) == nil)
        #expect(RetryAfter.seconds(from: "", now: now) == nil)
        #expect(RetryAfter.seconds(from: "soon", now: now) == nil)
    }
}
