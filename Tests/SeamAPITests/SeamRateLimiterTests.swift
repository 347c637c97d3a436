import Foundation
import Testing
@testable import SeamAPI

/// The thin async wrapper: real (short) waits.
@Suite struct SeamRateLimiterTests {
    @Test func a429SeenByOneTaskPausesEveryTask() async throws {
        let limiter = SeamRateLimiter(rate: 1000, burst: 1000)
        await limiter.record429(retryAfter: 0.4)
        #expect(await limiter.currentRate == 500)
        let clock = ContinuousClock()
        let started = clock.now
        let waits = try await withThrowingTaskGroup(of: Duration.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await limiter.acquire()
                    return started.duration(to: clock.now)
                }
            }
            return try await group.reduce(into: [Duration]()) { $0.append($1) }
        }
        #expect(waits.count == 4)
        for wait in waits { #expect(wait >= .milliseconds(380)) }
        // Halved to 500 above, and recovering since the pause ended: back to the 900 ceiling (90% of
        // the rate at the 429) after 5 s at the earliest, past it only after 10 quiet seconds more.
        // How far it got depends on the scheduler (a sanitizer's run is slow), never beyond that.
        let rate = await limiter.currentRate
        #expect(rate >= 500 && rate <= 900)
    }

    @Test func acquireIsCancellable() async throws {
        let limiter = SeamRateLimiter(rate: 1000, burst: 1000)
        await limiter.record429(retryAfter: 30)
        let waiter = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(started.duration(to: clock.now) < .seconds(5))
    }

    /// Half of Seam's burst is never spent at once: it absorbs requests that leave together and
    /// arrive apart. A burst of 1 stays 1.
    @Test func spendsOnlyHalfTheBurstAtOnce() async {
        #expect(await SeamRateLimiter(rate: 50, burst: 10).snapshot.burst == 5)
        #expect(await SeamRateLimiter(rate: 50, burst: 1).snapshot.burst == 1)
        #expect(await SeamRateLimiter(state: AdaptiveRateState(rate: 50, burst: 10, now: 0)).snapshot.burst == 10)
    }

    /// First come, first served: a caller that queued earlier is never passed by later ones (a
    /// confirmation round's call once waited 18 s behind forty rows' calls).
    @Test func tokensGoToWaitersInTheOrderTheyAsked() async throws {
        let limiter = SeamRateLimiter(state: AdaptiveRateState(rate: 100, burst: 1, initialTokens: 0, now: 0))
        await limiter.record429(retryAfter: 0.3)  // no token for a while: every caller queues
        actor Order { var granted: [Int] = []; func append(_ index: Int) { granted.append(index) } }
        let order = Order()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<12 {
                group.addTask {
                    try await limiter.acquire()
                    await order.append(index)
                }
                // Each asks once the one before is queued (or, on a slow machine, served).
                while await limiter.waiting + order.granted.count <= index { try await Task.sleep(for: .milliseconds(1)) }
            }
            try await group.waitForAll()
        }
        #expect(await order.granted == Array(0..<12))
    }

    @Test func spacesRequestsAtTheConfiguredRate() async throws {
        let limiter = SeamRateLimiter(rate: 20, burst: 1)
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<6 { try await limiter.acquire() }
        // 1 from the burst, then 5 more at 50 ms each.
        #expect(started.duration(to: clock.now) >= .milliseconds(240))
    }
}
