/// Added response delay: `fixedMilliseconds` plus a uniform random `0...jitterMilliseconds`.
///
/// Lets tests see how a client behaves against a slow API (timeouts, concurrency) without a real one.
public struct LatencyRule: Sendable, Equatable, Codable {
    public var fixedMilliseconds: Double
    public var jitterMilliseconds: Double

    public init(fixedMilliseconds: Double, jitterMilliseconds: Double = 0) {
        self.fixedMilliseconds = max(0, fixedMilliseconds)
        self.jitterMilliseconds = max(0, jitterMilliseconds)
    }

    /// The longest delay the sandbox will add (one hour); longer settings are cut to it.
    public static let maximumMilliseconds = 3_600_000.0

    /// The delay for one request, given a uniform random number in `0..<1`, within
    /// `0...maximumMilliseconds` whatever the rule says (a `Duration` from 1e300 ms traps).
    func delayMilliseconds(random: Double) -> Double {
        let delay = fixedMilliseconds + jitterMilliseconds * random
        return delay.isNaN ? 0 : min(max(delay, 0), Self.maximumMilliseconds)
    }

    enum CodingKeys: String, CodingKey {
        case fixedMilliseconds = "fixed_ms", jitterMilliseconds = "jitter_ms"
    }
}
