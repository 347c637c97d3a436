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
/// - The burst is learnt, not trusted: Seam's is undocumented, and one larger than Seam's draws a
///   429 for every request beyond it each time the bank is spent (after any lull: a listing, a
///   slow answer). The bank holds at most ``burstLimit``, which starts at 2 and grows by one each
///   time a full bank was spent without a 429 within ``burstBlame`` seconds, up to `burst`. A 429
///   within ``burstBlame`` of spending banked tokens (more than one at once) is the burst's
///   fault, not the rate's: the limit drops to one below the burst that drew it and stops
///   growing, and the rate is left alone (halving it, and setting the ceiling to 90% of a rate
///   that was right, cost a run a tenth of its pace for good). A 429 with no burst behind it
///   is the rate's, as above.
///
/// A run configured above Seam's real limit therefore settles just below it instead of failing
/// rows, and one configured at the limit stays there, drawing at most a 429 or two to learn
/// Seam's burst.
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
    /// The most tokens the bank holds at `configuredRate` (see the type's notes): learnt.
    public private(set) var burstLimit: Double
    /// A 429 this soon after a burst is blamed on the burst.
    public let burstBlame: TimeInterval
    /// A 429 has shown Seam's burst: the limit no longer grows.
    public private(set) var burstLearned = false
    /// When banked tokens (more than one at once) were last taken.
    private var lastBankedTake: TimeInterval?
    /// When the burst under way (or the last one) began: tokens taken while the bank held two or
    /// more, and the one that emptied it.
    private var burstStartedAt: TimeInterval?
    /// Tokens that burst took.
    private var burstTaken = 0
    /// Whether it is still under way (the bank still holds two or more).
    private var burstOpen = false
    /// The start of the burst a 429 was last blamed on: its other 429s change nothing more.
    private var blamedBurst: TimeInterval?
    /// When a burst of `burstLimit` went out, until it is judged (grown on, or blamed).
    private var fullBankSpentAt: TimeInterval?

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
        initialBurstLimit: Double = 2,
        burstBlame: TimeInterval = 2,
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
        burstLimit = min(burst, max(1, initialBurstLimit))
        self.burstBlame = burstBlame
        tokens = min(burstLimit, max(0, initialTokens))
        pausedUntil = now
        lastRefill = now
        lastRateChange = now
    }

    /// Bucket capacity at the current rate: the learnt limit, and a reduced rate also gets a
    /// proportionally smaller burst, so recovering from a 429 does not start with a full-size burst.
    public var effectiveBurst: Double {
        max(1, burstLimit * currentRate / configuredRate)
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
        if wait == 0 {
            // Whether this token is one of a burst's: taken from a bank of two or more, or the
            // one that empties the bank and so ends the burst.
            let takenInBurst: Bool
            if tokens >= 2 - Self.tokenEpsilon {
                // Spending the bank: a burst goes out (or goes on: takes a moment apart).
                if !burstOpen || lastBankedTake.map({ now - $0 > Self.burstGap }) ?? true {
                    burstOpen = true
                    burstTaken = 0
                    burstStartedAt = now
                }
                takenInBurst = true
            } else if burstOpen {
                burstOpen = false
                takenInBurst = true
            } else {
                takenInBurst = false
            }
            if takenInBurst {
                burstTaken += 1
                lastBankedTake = now
                if Double(burstTaken) >= burstLimit - Self.tokenEpsilon, fullBankSpentAt == nil {
                    fullBankSpentAt = now
                }
            }
            tokens -= 1
        }
        return wait
    }

    /// Records a 429: pause everyone and empty the bucket; then shrink the burst when one drew it,
    /// else reduce the rate (either at most once per cooldown).
    public mutating func on429(retryAfter: TimeInterval?, now: TimeInterval) {
        advance(to: now)
        let pause = max(retryAfter ?? defaultPause, 0)
        pausedUntil = max(pausedUntil, now + pause)
        tokens = 0
        lastRefill = max(lastRefill, pausedUntil)
        if let lastBankedTake, now - lastBankedTake <= burstBlame, burstTaken >= 2, let burstStartedAt {
            // The burst's other 429s, however late their answers, are its own: they change nothing.
            if blamedBurst == burstStartedAt { return }
            if burstLimit > 1 {
                // The burst's fault: Seam's bucket is smaller than the burst that drew it.
                fullBankSpentAt = nil
                burstLimit = max(1, min(burstLimit - 1, Double(burstTaken - 1)))
                burstLearned = true
                blamedBurst = burstStartedAt
                return
            }
            // No burst left to lower: the rate's fault after all.
        }
        if let lastDecrease, now - lastDecrease < decreaseCooldown {
            lastRateChange = now
            return
        }
        ceiling = max(floorRate, currentRate * 0.9)
        currentRate = max(floorRate, currentRate * decreaseFactor)
        lastDecrease = now
        lastRateChange = now
    }

    /// Takes further apart than this are not one burst (single calls a bank refilled between).
    static let burstGap: TimeInterval = 0.05

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
        if let spent = fullBankSpentAt, now - spent > burstBlame {
            // A full bank went out and no 429 followed: Seam's burst is at least that big.
            fullBankSpentAt = nil
            if !burstLearned { burstLimit = min(burst, burstLimit + 1) }
        }
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
