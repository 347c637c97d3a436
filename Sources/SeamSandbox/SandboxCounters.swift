/// What the sandbox has served, for tests that assert on client behaviour (how many retries,
/// how many 429s it provoked, whether it backed off).
public struct SandboxCounters: Sendable, Equatable, Codable {
    /// Route path → HTTP status (as text) → count.
    public var requests: [String: [String: Int]] = [:]
    /// 429 answers served.
    public var rateLimited: Int = 0
    /// Fault kind (`error_500`, …) → count.
    public var faultsInjected: [String: Int] = [:]

    public init() {}

    /// Requests served on `route` with `status`.
    public func count(route: String, status: Int) -> Int {
        requests[route]?[String(status)] ?? 0
    }

    /// All requests served on `route`, any status.
    public func total(route: String) -> Int {
        requests[route]?.values.reduce(0, +) ?? 0
    }

    /// Requests served on every route with any status but 429: the calls a rate limit let through,
    /// which the benchmarks divide by the limit for their floor.
    public var accepted: Int {
        requests.values.reduce(0) { total, byStatus in total + byStatus.filter { $0.key != "429" }.values.reduce(0, +) }
    }

    mutating func record(route: String, status: Int) {
        requests[route, default: [:]][String(status), default: 0] += 1
        if status == 429 { rateLimited += 1 }
    }

    mutating func recordFault(_ kind: FaultRule.Kind) {
        faultsInjected[kind.rawValue, default: 0] += 1
    }

    enum CodingKeys: String, CodingKey {
        case requests, rateLimited = "rate_limited", faultsInjected = "faults_injected"
    }
}
