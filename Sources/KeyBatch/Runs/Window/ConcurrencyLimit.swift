import SeamAPI

/// How many rows may be in flight, from the pace Seam shows, so an operator never has to guess
/// `--concurrency` (which stays the ceiling).
///
/// Little's law: to keep `rate` calls a second going when each call takes `s` seconds, about
/// `rate × s` calls must be in flight; a row makes one call at a time, so that many rows, plus
/// headroom for the moments a row spends between calls (its journal write, a lookup another row
/// is making for the same guest). The window does not protect Seam: the shared rate limiter
/// decides how many calls are sent, and a 429 halves the rate, which shrinks the window with it.
/// Slow answers grow it (up to the ceiling): rows then wait for Seam, not for each other.
///
/// A value with one event (a look at Seam's pace, passed in), like `AdaptiveRateState`.
struct ConcurrencyLimit: Sendable, Equatable {
    /// `--concurrency`: never more rows in flight.
    let ceiling: Int
    /// Never fewer (a few rows waiting on a shared lookup must not stall the run).
    let floor: Int
    private(set) var limit: Int
    /// Seconds per call, smoothed over looks.
    private(set) var secondsPerCall: Double?
    private var last: SeamTiming?

    /// Room above `rate × s` for the time rows spend between calls, and for the spread of a
    /// heavy-tailed latency: a few rows stuck in slow answers must not leave the rest too few to
    /// keep the rate. Too large costs nothing at Seam (the limiter paces the calls), only rows
    /// in flight; too small costs throughput: at 1.3 plus one row, 10 calls/s at Seam's latency
    /// measured 0.83 of the rate in one run of two (docs/benchmarks.md §2a).
    static let headroom = 1.5
    /// Rows added to `rate × s × headroom`.
    static let extraRows = 2
    /// Answers needed between two looks for a new estimate.
    static let minimumAttempts = 8
    /// Weight of the newest estimate.
    static let smoothing = 0.3

    /// Seconds per call assumed before any is measured: Seam's answers take a few hundred
    /// milliseconds; the first look replaces it.
    static let assumedSecondsPerCall = 0.5

    /// The first window for a limiter allowing `rate` calls a second: what Little's law asks at
    /// the assumed pace, at least 8. Starting at 8 whatever the rate, a run at 50 calls/s spent its
    /// first three seconds at a fraction of it while the window doubled look by look. A window
    /// too large costs nothing at Seam (the limiter paces the calls); the first look shrinks it.
    static func start(rate: Double?) -> Int {
        guard let rate, rate.isFinite, rate > 0 else { return 8 }
        let wanted = rate * assumedSecondsPerCall * headroom
        return wanted > 10_000 ? 10_000 : max(8, Int(wanted.rounded(.up)) + extraRows)
    }

    init(ceiling: Int, start: Int = 8, floor: Int = 4) {
        self.ceiling = max(1, ceiling)
        self.floor = min(self.ceiling, max(1, floor))
        limit = min(self.ceiling, max(self.floor, start))
    }

    /// A look at Seam's pace: the limiter's current rate and the client's summed timing. Returns
    /// the limit from now on: it grows at most twofold per look (one slow burst must not flood
    /// the window) and shrinks at once.
    mutating func observe(rate: Double, timing: SeamTiming) -> Int {
        guard let last else {
            self.last = timing
            return limit
        }
        let attempts = timing.attempts - last.attempts
        guard attempts >= Self.minimumAttempts else { return limit }
        self.last = timing
        let sample = (timing.serviceSeconds - last.serviceSeconds) / Double(attempts)
        guard sample.isFinite, sample >= 0, rate.isFinite, rate > 0 else { return limit }
        let estimate = secondsPerCall.map { $0 + Self.smoothing * (sample - $0) } ?? sample
        secondsPerCall = estimate
        let wanted = rate * estimate * Self.headroom
        let target = wanted < Double(ceiling) ? Int(wanted.rounded(.up)) + Self.extraRows : ceiling
        limit = min(ceiling, max(floor, min(target, limit * 2)))
        return limit
    }
}
