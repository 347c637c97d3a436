import SeamAPI
import Testing
@testable import KeyBatch

/// The adaptive window's rule: Little's law over the pace Seam shows, within the floor and the
/// `--concurrency` ceiling, growing at most twofold per look and shrinking at once.
@Suite struct ConcurrencyLimitTests {
    /// `attempts` more answers that took `seconds` each.
    static func after(_ timing: SeamTiming, attempts: Int, seconds: Double) -> SeamTiming {
        SeamTiming(attempts: timing.attempts + attempts, serviceSeconds: timing.serviceSeconds + Double(attempts) * seconds)
    }

    @Test func slowAnswersGrowTheWindowToRateTimesTimePerCall() {
        var limit = ConcurrencyLimit(ceiling: 128)
        #expect(limit.limit == 8)
        var timing = SeamTiming()
        _ = limit.observe(rate: 50, timing: timing)
        // 50 calls/s at 0.6 s each: 30 calls in flight, 45 with headroom, 47 with the extra rows.
        var sizes: [Int] = []
        for _ in 0..<4 {
            timing = Self.after(timing, attempts: 20, seconds: 0.6)
            sizes.append(limit.observe(rate: 50, timing: timing))
        }
        #expect(sizes == [16, 32, 47, 47])
    }

    @Test func aHalvedRateOrFasterAnswersShrinkItAtOnceButNeverBelowTheFloor() {
        var limit = ConcurrencyLimit(ceiling: 128)
        var timing = SeamTiming()
        _ = limit.observe(rate: 100, timing: timing)
        for _ in 0..<5 {
            timing = Self.after(timing, attempts: 50, seconds: 0.5)
            _ = limit.observe(rate: 100, timing: timing)
        }
        #expect(limit.limit == 77)
        timing = Self.after(timing, attempts: 50, seconds: 0.5)
        #expect(limit.observe(rate: 50, timing: timing) == 40)  // a 429 halved the rate
        for _ in 0..<20 {
            timing = Self.after(timing, attempts: 50, seconds: 0.01)
            _ = limit.observe(rate: 50, timing: timing)
        }
        #expect(limit.limit == 4)
    }

    @Test func theCeilingHoldsAndTooFewAnswersChangeNothing() {
        var limit = ConcurrencyLimit(ceiling: 20)
        var timing = SeamTiming()
        _ = limit.observe(rate: 100, timing: timing)
        timing = Self.after(timing, attempts: 5, seconds: 2)
        #expect(limit.observe(rate: 100, timing: timing) == 8)  // 5 answers: not enough to judge
        for _ in 0..<5 {
            timing = Self.after(timing, attempts: 20, seconds: 2)
            _ = limit.observe(rate: 100, timing: timing)
        }
        #expect(limit.limit == 20)
        #expect(ConcurrencyLimit(ceiling: 3).limit == 3 && ConcurrencyLimit(ceiling: 3).floor == 3)
    }

    @Test func nonsenseNumbersLeaveTheLimitAlone() {
        var limit = ConcurrencyLimit(ceiling: 64)
        _ = limit.observe(rate: 10, timing: SeamTiming(attempts: 10, serviceSeconds: 5))
        #expect(limit.observe(rate: .nan, timing: SeamTiming(attempts: 30, serviceSeconds: 15)) == 8)
        #expect(limit.observe(rate: 10, timing: SeamTiming(attempts: 60, serviceSeconds: .infinity)) == 8)
    }
}
