import Foundation

/// The arithmetic of the shared rate limiter: a token bucket whose rate adapts to 429s.
///
/// Pure value type; time is passed in as seconds on any monotonic scale, so tests drive it with
/// a fake clock. ``SeamRateLimiter`` does the waiting.
///
/// - Token bucket: `currentRate` tokens/s accumulate up to an effective burst; each request takes one.
/// - On a 429: the *whole* limiter pauses until `now + Retry-After` (or ``defaultPause`` without
///   the header), the bucket empties, and the rate is halved (multiplicative decrease, not below
///   `floorRate`). 429s that arrive within ``decreaseCooldown`` of the last decrease do not halve
///   again: they were sent at the old rate and would otherwise collapse the rate to the floor.
/// - A 429 also teaches the limiter a ``ceiling``: 90% of the rate that drew it, its estimate of
///   the server's real limit.
/// - Recovery below the ceiling is quick: each ``fastRecoveryPeriod`` without a 429 adds 10% of
///   the ceiling, so one 429 costs seconds, not minutes. Above the ceiling it only probes: each
///   ``recoveryQuietPeriod`` without a 429 adds ``recoveryStep`` (2% of the ceiling by default),
///   and the ceiling follows, so a limit that was raised is found again.
/// - The bucket starts with one token, not a full burst: the server's bucket may already be
///   partly spent (another run, another client), and a burst at start-up is the likeliest 429.
///
/// A run configured above Seam's real limit therefore settles just below it instead of failing
/// rows, and one configured at the limit stays there.
public struct AdaptiveRateState: Sendable, Equatable {
    /// The rate asked for, and the ceiling recovery returns to.
    public let configuredRate: Double
    /// Bucket capacity at `configuredRate`; scaled down with the rate while it is reduced.
    public let burst: Double
    /// The lowest rate multiplicative decrease may reach.
    public let floorRate: Double
    /// Factor applied to the rate on a 429.
    public let decreaseFactor: Double
    /// Minimum time between two decreases.
    public let decreaseCooldown: TimeInterval
    /// Pause when a 429 carries no `Retry-After` (Seam does not document the header).
    public let defaultPause: TimeInterval
    /// Quiet time (no 429) before each probing increase above the ceiling.
    public let recoveryQuietPeriod: TimeInterval
    /// Rate added per quiet period above the ceiling; nil means 2% of the ceiling.
    public let recoveryStep: Double?
    /// Quiet time before each quick increase below the ceiling.
    public let fastRecoveryPeriod: TimeInterval
    /// The estimate of the server's real limit: 90% of the rate at the last 429.
    public private(set) var ceiling: Double

    public private(set) var currentRate: Double
    public private(set) var tokens: Double
    /// No token is handed out before this instant (set by a 429).
    public private(set) var pausedUntil: TimeInterval
    private var lastRefill: TimeInterval
    private var lastRateChange: TimeInterval
    private var lastDecrease: TimeInterval?

    public init(
        rate: Double,
        burst: Double,
        floorRate: Double? = nil,
        decreaseFactor: Double = 0.5,
        decreaseCooldown: TimeInterval = 1,
        defaultPause: TimeInterval = 1,
        recoveryQuietPeriod: TimeInterval = 10,
        recoveryStep: Double? = nil,
        fastRecoveryPeriod: TimeInterval = 1,
        initialTokens: Double = 1,
        now: TimeInterval
    ) {
        precondition(rate > 0 && burst >= 1, "rate must be positive and burst at least 1")
        configuredRate = rate
        self.burst = burst
        self.floorRate = min(rate, floorRate ?? max(rate / 16, 0.2))
        self.decreaseFactor = decreaseFactor
        self.decreaseCooldown = decreaseCooldown
        self.defaultPause = defaultPause
        self.recoveryQuietPeriod = recoveryQuietPeriod
        self.recoveryStep = recoveryStep
        self.fastRecoveryPeriod = fastRecoveryPeriod
        ceiling = rate
        currentRate = rate
        tokens = min(burst, max(0, initialTokens))
        pausedUntil = now
        lastRefill = now
        lastRateChange = now
    }

    /// Bucket capacity at the current rate: a reduced rate also gets a proportionally smaller burst,
    /// so recovering from a 429 does not start with a full-size burst.
    public var effectiveBurst: Double {
        max(1, burst * currentRate / configuredRate)
    }

    /// Seconds until a token is available at `now` (0 when one is available now).
    public func delay(now: TimeInterval) -> TimeInterval {
        var copy = self
        copy.advance(to: now)
        return copy.waitForToken(now: now)
    }

    /// Takes a token if one is available and returns 0; otherwise returns the seconds to wait and
    /// takes nothing (the caller sleeps and asks again, which keeps cancellation simple).
    public mutating func acquire(now: TimeInterval) -> TimeInterval {
        advance(to: now)
        let wait = waitForToken(now: now)
        if wait == 0 { tokens -= 1 }
        return wait
    }

    /// Records a 429: pause everyone, empty the bucket, and reduce the rate (at most once per cooldown).
    public mutating func on429(retryAfter: TimeInterval?, now: TimeInterval) {
        advance(to: now)
        let pause = max(retryAfter ?? defaultPause, 0)
        pausedUntil = max(pausedUntil, now + pause)
        tokens = 0
        lastRefill = max(lastRefill, pausedUntil)
        if let lastDecrease, now - lastDecrease < decreaseCooldown {
            lastRateChange = now
            return
        }
        ceiling = max(floorRate, currentRate * 0.9)
        currentRate = max(floorRate, currentRate * decreaseFactor)
        lastDecrease = now
        lastRateChange = now
    }

    /// Tolerance for floating-point refill error: without it a wait shorter than the clock's
    /// resolution could never be satisfied.
    private static let tokenEpsilon = 1e-9

    private func waitForToken(now: TimeInterval) -> TimeInterval {
        let missing = max(0, 1 - tokens - Self.tokenEpsilon)
        if now < pausedUntil {
            return pausedUntil - now + missing / currentRate
        }
        return missing == 0 ? 0 : max(missing / currentRate, Self.tokenEpsilon)
    }

    /// Applies recovery and refills the bucket up to `now`.
    private mutating func advance(to now: TimeInterval) {
        while currentRate < configuredRate {
            let belowCeiling = currentRate < ceiling
            let period = belowCeiling ? fastRecoveryPeriod : recoveryQuietPeriod
            let stepAt = lastRateChange + period
            guard now >= stepAt else { break }
            refill(to: stepAt, from: lastRefill)
            if belowCeiling {
                currentRate = min(ceiling, currentRate + ceiling * 0.1)
            } else {
                currentRate = min(configuredRate, currentRate + (recoveryStep ?? max(ceiling * 0.02, 0.05)))
                ceiling = max(ceiling, currentRate)
            }
            lastRateChange = stepAt
        }
        refill(to: now, from: lastRefill)
    }

    private mutating func refill(to instant: TimeInterval, from start: TimeInterval) {
        guard instant > start else { return }
        tokens = min(effectiveBurst, tokens + (instant - start) * currentRate)
        lastRefill = instant
    }
}
