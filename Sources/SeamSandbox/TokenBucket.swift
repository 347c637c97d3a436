/// The token bucket behind `RateLimit`: starts full with `burst` tokens, refills at
/// `requestsPerSecond`, and each request takes one token.
///
/// Time is passed in (seconds on a monotonic clock) so the decision is pure and testable.
struct TokenBucket: Sendable, Equatable {
    let limit: RateLimit
    private(set) var tokens: Double
    private(set) var updatedAt: Double

    init(limit: RateLimit, now: Double) {
        self.limit = limit
        self.tokens = Double(limit.burst)
        self.updatedAt = now
    }

    /// Takes a token. Returns nil when allowed, else the seconds until a token will be available.
    mutating func take(now: Double) -> Double? {
        let elapsed = max(0, now - updatedAt)
        tokens = min(Double(limit.burst), tokens + elapsed * limit.requestsPerSecond)
        updatedAt = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        guard limit.requestsPerSecond > 0 else { return .infinity }
        return (1 - tokens) / limit.requestsPerSecond
    }

    /// The `Retry-After` header value: whole seconds, rounded up, at least 1, at most an hour (a
    /// rate of 1e-300/s would otherwise ask for 1e300 s, which no `Int` holds).
    static func retryAfterHeader(seconds: Double) -> String {
        guard seconds.isFinite, seconds < 3600 else { return "3600" }
        return String(max(1, Int(seconds.rounded(.up))))
    }
}
