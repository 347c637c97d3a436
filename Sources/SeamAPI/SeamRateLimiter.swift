import Foundation

/// One rate limiter shared by every task that talks to Seam (pass the same instance to every
/// ``SeamClient`` of a run), so a 429 seen by one task pauses all of them.
///
/// Tokens go to waiters in the order they asked (first come, first served): with every waiter
/// sleeping and retrying on its own, whoever woke first took each token, and under a window of
/// forty rows a confirmation round's call was seen waiting 18 s while the rows' calls went by,
/// which held every confirmed row of that round (and the results behind them) as long.
///
/// Defaults: 10 requests/s with a burst of 20. Seam documents no limit for the ACS and
/// user-identity endpoints; its documented per-device limits (10–20 writes/min for access codes)
/// do not apply here. 10/s keeps a 1 000-reservation batch (≈5–8 calls per row) to about ten
/// minutes while staying far below what a shared API tier is likely to throttle, and the adaptive
/// decrease on 429 covers the case where it is still too high.
public actor SeamRateLimiter {
    public static let defaultRate: Double = 10
    public static let defaultBurst: Double = 20

    private var state: AdaptiveRateState
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    /// Callers waiting for a token, oldest first.
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiterID: UInt64 = 0
    /// Hands tokens to `waiters` as they come; runs while any wait.
    private var dispatcher: Task<Void, Never>?

    /// - Parameters:
    ///   - rate: requests per second, the most Seam allows (or less).
    ///   - burst: the most requests Seam allows at once above `rate`. The limiter's own bucket
    ///     holds only `burstReserve` of it: a burst sent at once does not arrive at once (a new
    ///     connection is opened, a thread waits for a core, a network delays one packet), and
    ///     Seam's bucket, full while it waits, cannot bank the refill it misses; the rest of the
    ///     burst absorbs that. Measured: a client bucket equal to the server's drew a 429 at the
    ///     start of most runs at Seam's latency (docs/benchmarks.md §2a).
    public init(rate: Double = SeamRateLimiter.defaultRate, burst: Double = SeamRateLimiter.defaultBurst) {
        origin = clock.now
        state = AdaptiveRateState(rate: rate, burst: max(1, burst * Self.burstReserve), now: 0)
    }

    /// The share of `burst` the limiter spends at once.
    public static let burstReserve = 0.5

    /// Wraps a preconfigured state (tuned factors, or a test's short quiet periods), whose time
    /// origin becomes the moment of this call.
    public init(state: AdaptiveRateState) {
        origin = clock.now
        self.state = state
    }

    /// Waits until a token is available and takes it. Throws `CancellationError` if the task is
    /// cancelled while waiting.
    public func acquire() async throws {
        try Task.checkCancellation()
        if waiters.isEmpty, state.acquire(now: elapsed()) <= 0 { return }
        let id = nextWaiterID
        nextWaiterID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Cancelled before it could queue: the handler below found nothing to remove.
                if Task.isCancelled { return continuation.resume(throwing: CancellationError()) }
                waiters.append((id, continuation))
                if dispatcher == nil { dispatcher = Task { await self.dispatch() } }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Gives each token, as it becomes available, to the oldest waiter.
    private func dispatch() async {
        while !waiters.isEmpty {
            let wait = state.acquire(now: elapsed())
            if wait <= 0 {
                waiters.removeFirst().continuation.resume()
            } else {
                try? await Task.sleep(for: .seconds(wait))
            }
        }
        dispatcher = nil
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// Reports a 429 (with its parsed `Retry-After`, if any) so every caller pauses and the rate drops.
    public func record429(retryAfter: TimeInterval?) {
        state.on429(retryAfter: retryAfter, now: elapsed())
    }

    /// Callers waiting for a token (for tests).
    var waiting: Int { waiters.count }

    /// The current (possibly reduced) rate, for progress reports.
    public var currentRate: Double { state.currentRate }

    /// A snapshot of the limiter's state, for diagnostics and tests.
    public var snapshot: AdaptiveRateState { state }

    private func elapsed() -> TimeInterval {
        origin.duration(to: clock.now).inSeconds
    }
}
