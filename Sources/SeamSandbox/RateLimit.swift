/// A per-workspace request budget: `requestsPerSecond` sustained, `burst` at once (a token bucket).
///
/// Real Seam answers 429 when a client goes too fast; the sandbox lets tests choose when.
public struct RateLimit: Sendable, Equatable, Codable {
    public var requestsPerSecond: Double
    public var burst: Int

    public init(requestsPerSecond: Double, burst: Int) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = max(1, burst)
    }

    enum CodingKeys: String, CodingKey {
        case requestsPerSecond = "requests_per_second", burst
    }
}
