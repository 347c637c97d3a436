import Foundation

/// Decides whether and when a failed Seam call is tried again.
///
/// A protocol so a caller (or a test) can swap the schedule without touching the client; the
/// client only asks "how long until attempt n+1?".
public protocol SeamRetryPolicy: Sendable {
    /// Most attempts (first try included) for one call.
    var maxAttempts: Int { get }
    /// Seconds to wait before the next attempt after `error` ended attempt number `attempt`
    /// (1-based), or nil to give up and rethrow.
    func retryDelay(after error: SeamError, attempt: Int) -> TimeInterval?
}

/// Exponential backoff with full jitter: the wait before retry n is uniform in
/// `0 ... min(cap, base * 2^(n-1))`, which spreads concurrent retries out instead of
/// synchronising them. A 429 waits at least its `Retry-After`.
///
/// Defaults (base 0.2 s, cap 20 s, 5 attempts) give up after roughly 3 s of backoff in the median
/// case and at most 0.2+0.4+0.8+1.6 s before the last try, plus any Retry-After.
///
/// A connection that could not be made at all (refused, no route, no such host: nothing is
/// listening, nothing was sent) is tried at most ``refusedConnectionAttempts`` times whatever
/// `maxAttempts` says: a refusal is answered at once, so more attempts only delay telling the
/// operator that the endpoint is wrong or down (with the defaults, at most 0.2+0.4+0.8 s of
/// backoff). A connect timeout, a slow or a flaky Seam keep every attempt.
public struct ExponentialBackoffRetryPolicy: SeamRetryPolicy {
    /// Attempts for a call whose connection was refused, first one included.
    public static let defaultRefusedConnectionAttempts = 4

    public var base: TimeInterval
    public var cap: TimeInterval
    public var maxAttempts: Int
    public var refusedConnectionAttempts: Int
    /// Uniform random number in `0..<1`; injected so tests can pin the jitter.
    public var randomUnit: @Sendable () -> Double

    public init(
        base: TimeInterval = 0.2,
        cap: TimeInterval = 20,
        maxAttempts: Int = 5,
        refusedConnectionAttempts: Int = ExponentialBackoffRetryPolicy.defaultRefusedConnectionAttempts,
        randomUnit: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.base = base
        self.cap = cap
        self.maxAttempts = max(1, maxAttempts)
        self.refusedConnectionAttempts = max(1, refusedConnectionAttempts)
        self.randomUnit = randomUnit
    }

    /// Upper bound of the jitter window before retry number `attempt`.
    public func backoffCeiling(attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        return min(cap, base * pow(2, min(exponent, 60)))
    }

    public func retryDelay(after error: SeamError, attempt: Int) -> TimeInterval? {
        guard error.isRetryable, attempt < maxAttempts else { return nil }
        if case .connectionFailed(requestSent: false, _) = error.kind, attempt >= refusedConnectionAttempts { return nil }
        let unit = min(max(randomUnit(), 0), 1)
        let jittered = backoffCeiling(attempt: attempt) * unit
        if let retryAfter = error.retryAfter {
            return max(jittered, retryAfter)
        }
        return jittered
    }
}
