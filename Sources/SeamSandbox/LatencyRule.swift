import Foundation

/// Added response delay: `fixedMilliseconds` plus a uniform random `0...jitterMilliseconds`, or,
/// with `medianMilliseconds` and `p95Milliseconds` (p95 above the median, which is above 0),
/// `fixedMilliseconds` plus a heavy-tailed delay with that median and 95th percentile instead of
/// the jitter (log-logistic: a power-law tail, like a real API's slowest answers).
///
/// Lets tests see how a client behaves against a slow API (timeouts, concurrency) without a real one.
public struct LatencyRule: Sendable, Equatable, Codable {
    public var fixedMilliseconds: Double
    public var jitterMilliseconds: Double
    public var medianMilliseconds: Double?
    public var p95Milliseconds: Double?

    /// A heavy-tailed profile: half the answers within `median`, 95% within `p95` (> median).
    public static func heavyTailed(medianMilliseconds: Double, p95Milliseconds: Double) -> LatencyRule {
        var rule = LatencyRule(fixedMilliseconds: 0)
        rule.medianMilliseconds = max(0, medianMilliseconds)
        rule.p95Milliseconds = max(0, p95Milliseconds)
        return rule
    }

    public init(fixedMilliseconds: Double, jitterMilliseconds: Double = 0) {
        self.fixedMilliseconds = max(0, fixedMilliseconds)
        self.jitterMilliseconds = max(0, jitterMilliseconds)
    }

    /// The longest delay the sandbox will add (one hour); longer settings are cut to it.
    public static let maximumMilliseconds = 3_600_000.0

    /// The delay for one request, given a uniform random number in `0..<1`, within
    /// `0...maximumMilliseconds` whatever the rule says (a `Duration` from 1e300 ms traps).
    func delayMilliseconds(random: Double) -> Double {
        var delay = fixedMilliseconds + jitterMilliseconds * random
        if let median = medianMilliseconds, let p95 = p95Milliseconds, median > 0, p95 > median {
            // Log-logistic quantile: median × (u / (1 − u))^(1/β), with β so that u = 0.95 gives p95.
            let shape = log(19) / log(p95 / median)
            let u = min(max(random, 1e-9), 1 - 1e-9)
            delay = fixedMilliseconds + median * pow(u / (1 - u), 1 / shape)
        }
        return delay.isNaN ? 0 : min(max(delay, 0), Self.maximumMilliseconds)
    }

    enum CodingKeys: String, CodingKey {
        case fixedMilliseconds = "fixed_ms", jitterMilliseconds = "jitter_ms"
        case medianMilliseconds = "median_ms", p95Milliseconds = "p95_ms"
    }
}
