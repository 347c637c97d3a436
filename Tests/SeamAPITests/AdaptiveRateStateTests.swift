import Foundation
import Testing
@testable import SeamAPI

/// Drives ``AdaptiveRateState`` with a fake clock (plain seconds).
@Suite struct AdaptiveRateStateTests {
    @Test func startsWithOneTokenAndBuildsTheBurstWhileIdle() {
        var state = AdaptiveRateState(rate: 10, burst: 3, initialBurstLimit: 3, now: 0)
        #expect(state.acquire(now: 0) == 0)
        let wait = state.acquire(now: 0)
        #expect(abs(wait - 0.1) < 1e-9)
        #expect(state.acquire(now: 0.05) > 0)
        #expect(state.acquire(now: 0.1) == 0)
        // The bucket never holds more than the burst, however long it sat idle.
        for _ in 0..<3 { #expect(state.acquire(now: 100) == 0) }
        #expect(state.acquire(now: 100) > 0)
    }

    @Test func sustainedThroughputMatchesTheRate() {
        var state = AdaptiveRateState(rate: 10, burst: 1, now: 0)
        var now: TimeInterval = 0
        var granted = 0
        while now < 10 {
            let wait = state.acquire(now: now)
            if wait == 0 { granted += 1 } else { now += wait }
        }
        // 1 initial token + 10/s for 10 s.
        #expect((100...101).contains(granted))
    }

    @Test func delayDoesNotConsumeATokenButAcquireDoes() {
        var state = AdaptiveRateState(rate: 1, burst: 1, now: 0)
        #expect(state.delay(now: 0) == 0)
        #expect(state.delay(now: 0) == 0)
        #expect(state.acquire(now: 0) == 0)
        #expect(abs(state.delay(now: 0) - 1) < 1e-9)
    }

    @Test func a429PausesForRetryAfterAndHalvesTheRate() {
        var state = AdaptiveRateState(rate: 10, burst: 20, now: 0)
        state.on429(retryAfter: 2, now: 1)
        #expect(state.currentRate == 5)
        #expect(state.pausedUntil == 3)
        // Everyone waits out the pause, then the emptied bucket refills at the reduced rate.
        #expect(abs(state.delay(now: 1) - (2 + 0.2)) < 1e-9)
        #expect(state.acquire(now: 2.9) > 0)
        #expect(state.acquire(now: 3.2) == 0)
        #expect(state.acquire(now: 3.2) > 0)
    }

    @Test func a429WithoutRetryAfterUsesTheDefaultPause() {
        var state = AdaptiveRateState(rate: 10, burst: 20, defaultPause: 1.5, now: 0)
        state.on429(retryAfter: nil, now: 4)
        #expect(state.pausedUntil == 5.5)
    }

    @Test func burstOf429sFromOneWindowDecreasesOnlyOnce() {
        var state = AdaptiveRateState(rate: 16, burst: 20, decreaseCooldown: 1, now: 0)
        state.on429(retryAfter: 0, now: 10)
        state.on429(retryAfter: 0, now: 10.3)
        state.on429(retryAfter: 0, now: 10.9)
        #expect(state.currentRate == 8)
        state.on429(retryAfter: 0, now: 11.5)
        #expect(state.currentRate == 4)
    }

    @Test func decreaseStopsAtTheFloor() {
        var state = AdaptiveRateState(rate: 10, burst: 20, floorRate: 2, decreaseCooldown: 0, now: 0)
        for step in 1...10 { state.on429(retryAfter: 0, now: Double(step)) }
        #expect(state.currentRate == 2)
    }

    @Test func reducedRateAlsoShrinksTheBurst() {
        var state = AdaptiveRateState(rate: 10, burst: 20, recoveryQuietPeriod: 10_000, fastRecoveryPeriod: 10_000, initialBurstLimit: 20, now: 0)
        state.on429(retryAfter: 0, now: 0)
        #expect(state.effectiveBurst == 10)
        var granted = 0
        while state.acquire(now: 1000) == 0 { granted += 1 }
        #expect(granted == 10)
    }

    @Test func rateRecoversQuicklyToTheCeilingThenProbesSlowly() {
        var state = AdaptiveRateState(rate: 10, burst: 20, recoveryQuietPeriod: 10, recoveryStep: 1, now: 0)
        state.on429(retryAfter: 0, now: 0)
        #expect(state.currentRate == 5)
        #expect(state.ceiling == 9)
        _ = state.acquire(now: 0.9)
        #expect(state.currentRate == 5)
        _ = state.acquire(now: 1)
        #expect(abs(state.currentRate - 5.9) < 1e-9)
        _ = state.acquire(now: 5)
        #expect(state.currentRate == 9)  // back at the ceiling after five quiet seconds
        _ = state.acquire(now: 14.9)
        #expect(state.currentRate == 9)
        _ = state.acquire(now: 15)
        #expect(state.currentRate == 10)  // probing above it: one step per quiet period
        #expect(state.ceiling == 10)
    }

    @Test func a429RestartsTheQuietPeriodAndLowersTheCeiling() {
        var state = AdaptiveRateState(rate: 10, burst: 20, decreaseCooldown: 0, recoveryQuietPeriod: 10, recoveryStep: 1, now: 0)
        state.on429(retryAfter: 0, now: 0)
        _ = state.acquire(now: 0.9)
        state.on429(retryAfter: 0, now: 0.9)
        #expect(state.currentRate == 2.5)
        #expect(state.ceiling == 4.5)
        _ = state.acquire(now: 1.8)
        #expect(state.currentRate == 2.5)
        _ = state.acquire(now: 1.9)
        #expect(abs(state.currentRate - 2.95) < 1e-9)
    }

    /// Seam's burst is unknown: the bank starts at 2 and grows by one for each full bank spent
    /// without a 429, up to the configured burst.
    @Test func theBurstStartsSmallAndGrowsWhileFullBanksPass() {
        var state = AdaptiveRateState(rate: 10, burst: 4, now: 0)
        #expect(state.burstLimit == 2)
        var now: TimeInterval = 100
        for expected in [2.0, 3, 4, 4] {
            var granted = 0
            while state.acquire(now: now) == 0 { granted += 1 }
            #expect(Double(granted) == expected, "at \(now)")
            now += 100  // a quiet lull: the bank refills, and the last burst drew no 429
        }
        #expect(state.burstLimit == 4 && !state.burstLearned)
    }

    /// A 429 right after a burst is the burst's fault: the limit drops below the burst that drew
    /// it, for good, and the rate and its ceiling stay. A 429 with no burst behind it is the
    /// rate's, as before.
    @Test func a429AfterABurstShrinksTheBurstNotTheRate() {
        var state = AdaptiveRateState(rate: 10, burst: 10, initialBurstLimit: 6, now: 0)
        while state.acquire(now: 100) == 0 {}
        state.on429(retryAfter: 1, now: 100.3)
        state.on429(retryAfter: 1, now: 101.5)  // the same burst's late answer
        #expect(state.burstLimit == 5 && state.burstLearned)
        #expect(state.currentRate == 10 && state.ceiling == 10)
        #expect(state.pausedUntil == 102.5)
        var granted = 0
        while state.acquire(now: 1000) == 0 { granted += 1 }
        #expect(granted == 5)
        // The bank spent, then paced sends past the blame window: the next 429 is the rate's.
        var now: TimeInterval = 2000
        _ = state.acquire(now: now)
        for _ in 0..<40 {
            now += state.delay(now: now)
            _ = state.acquire(now: now)
        }
        state.on429(retryAfter: 0, now: now)
        #expect(state.currentRate == 5 && state.burstLimit == 5)
    }

    /// Issue 24's case: `--rate` at Seam's limit, Seam's burst (5) below `--burst`, and a run
    /// whose calls come in waves (rows waiting on answers leave the limiter idle, and the bank
    /// refills): at most two 429s in the whole run, and the pace stays at the limit.
    @Test func aSmallerSeamBurstIsLearntWithAtMostTwo429s() {
        var client = AdaptiveRateState(rate: 50, burst: 10, now: 0)
        var server = AdaptiveRateState(rate: 50, burst: 5, initialTokens: 5, initialBurstLimit: 5, now: 0)
        var now: TimeInterval = 0
        var accepted = 0
        var rejected = 0
        while now < 120 {
            // Every 2 s, half a second with nothing to send.
            if now.truncatingRemainder(dividingBy: 2) < 0.5 { now += 0.5 - now.truncatingRemainder(dividingBy: 2); continue }
            let wait = client.acquire(now: now)
            if wait > 0 { now += wait; continue }
            if server.acquire(now: now) == 0 {
                accepted += 1
            } else {
                rejected += 1
                client.on429(retryAfter: 1, now: now + 0.01)
            }
        }
        #expect(rejected <= 2, "\(rejected) 429s")
        #expect(client.currentRate == 50)
        // 90 s of sending at 50/s, less the pauses of the 429s.
        #expect(Double(accepted) >= 0.95 * 90 * 50, "\(accepted) accepted")
    }

    /// A second engineer's case: `--rate 50` against a Seam allowing 30/s with a burst of 5, in
    /// waves. The bursts are blamed until none is left to lower; the 429s after that are the
    /// rate's, and it comes down: the 429s stop.
    @Test func aRateAboveSeamsIsStillCutWhenTheRunComesInWaves() {
        var client = AdaptiveRateState(rate: 50, burst: 10, now: 0)
        var server = AdaptiveRateState(rate: 30, burst: 5, initialTokens: 5, initialBurstLimit: 5, now: 0)
        var now: TimeInterval = 0
        var rejectedLate = 0
        var acceptedLate = 0
        while now < 300 {
            if now.truncatingRemainder(dividingBy: 2) < 0.5 { now += 0.5 - now.truncatingRemainder(dividingBy: 2); continue }
            let wait = client.acquire(now: now)
            if wait > 0 { now += wait; continue }
            if server.acquire(now: now) == 0 {
                if now >= 150 { acceptedLate += 1 }
            } else {
                if now >= 150 { rejectedLate += 1 }
                client.on429(retryAfter: 1, now: now + 0.01)
            }
        }
        #expect(client.currentRate < 40, "rate \(client.currentRate)")
        #expect(Double(rejectedLate) / Double(acceptedLate + rejectedLate) < 0.02, "\(rejectedLate) late 429s, \(acceptedLate) accepted")
    }

    /// Single calls a refilled bank serves one at a time are no burst: the limit grows only
    /// after a burst of its size went out with no 429.
    @Test func theBurstGrowsOnlyAfterABurstThatBigWentOut() {
        var state = AdaptiveRateState(rate: 10, burst: 10, now: 0)
        for second in 1...60 { _ = state.acquire(now: Double(second)) }
        #expect(state.burstLimit == 2)
        _ = state.acquire(now: 100)
        _ = state.acquire(now: 100)
        _ = state.acquire(now: 103)
        #expect(state.burstLimit == 3)
    }

    /// The provisioning benchmark's server (50 requests/s, burst 10): a client set to the limit
    /// draws no 429, and one set to four times the limit settles near it.
    @Test(arguments: [(50.0, 10.0), (200.0, 20.0)])
    func settlesAtALimitOfFiftyPerSecond(configured: Double, burst: Double) {
        var client = AdaptiveRateState(rate: configured, burst: burst, now: 0)
        var server = AdaptiveRateState(rate: 50, burst: 10, initialTokens: 10, initialBurstLimit: 10, now: 0)
        var now: TimeInterval = 0
        var acceptedLate = 0
        var rejected = 0
        while now < 120 {
            let wait = client.acquire(now: now)
            if wait > 0 { now += wait; continue }
            if server.acquire(now: now) == 0 {
                if now >= 20 { acceptedLate += 1 }
            } else {
                rejected += 1
                client.on429(retryAfter: 1, now: now)
            }
        }
        let throughput = Double(acceptedLate) / 100
        #expect(throughput >= 0.85 * 50, "settled throughput \(throughput)/s")
        if configured == 50 { #expect(rejected == 0) }
    }

    /// Simulates a server that really allows 4 requests/s against a client configured for 20/s:
    /// the client should settle near the real limit with only occasional 429s.
    @Test func convergesBelowARealLimitLowerThanTheConfiguredRate() {
        var client = AdaptiveRateState(rate: 20, burst: 40, now: 0)
        var server = AdaptiveRateState(rate: 4, burst: 4, initialBurstLimit: 4, now: 0) // the server's own bucket, rate never adapts
        var now: TimeInterval = 0
        var accepted = 0
        var rejectedEarly = 0
        var rejectedLate = 0
        var acceptedLate = 0
        while now < 600 {
            let wait = client.acquire(now: now)
            if wait > 0 { now += wait; continue }
            if server.acquire(now: now) == 0 {
                accepted += 1
                if now >= 300 { acceptedLate += 1 }
            } else {
                client.on429(retryAfter: nil, now: now)
                if now < 60 { rejectedEarly += 1 } else if now >= 300 { rejectedLate += 1 }
            }
        }
        let lateThroughput = Double(acceptedLate) / 300
        #expect(lateThroughput > 2.4, "settled throughput \(lateThroughput)/s")
        #expect(lateThroughput <= 4.01)
        let lateRejectRatio = Double(rejectedLate) / Double(acceptedLate + rejectedLate)
        #expect(lateRejectRatio < 0.05, "late 429 ratio \(lateRejectRatio)")
        #expect(accepted > 0 && rejectedEarly > 0)
    }
}
