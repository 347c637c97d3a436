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

    /// The delay for one request, given a uniform random number in `0..<1`.
    func delayMilliseconds(random: Double) -> Double {
        fixedMilliseconds + jitterMilliseconds * random
    }

    enum CodingKeys: String, CodingKey {
        case fixedMilliseconds = "fixed_ms", jitterMilliseconds = "jitter_ms"
    }
}
