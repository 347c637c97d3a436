/// Injected failures for a route, each with a probability (0...1, summed they should not exceed 1).
///
/// - `error500`, `error503`: fail *before* doing anything (safe to retry).
/// - `ambiguous500`: apply the change, then answer 500 — the client cannot tell it happened.
/// - `ambiguousTimeout`: apply the change, then hold the answer for `holdSeconds` so the client
///   times out first. Both ambiguous kinds are what turn naive retries of a create into duplicates.
/// - `slowBody`: apply the change, send the headers at once, then trickle the body over
///   `holdSeconds` (twenty pieces): a client whose timeout covered only the headers would hang
///   on it; one whose timeout covers the whole answer sees an ambiguous timeout.
/// - `dropped`: the connection is closed with no answer (the status line is sent, then nothing);
///   half of the dropped requests were applied first, half never reached the handler, so the
///   client cannot tell whether a create it sent exists (a load balancer or network cutting a
///   connection in flight).
public struct FaultRule: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case error500 = "error_500"
        case error503 = "error_503"
        case ambiguous500 = "ambiguous_500"
        case ambiguousTimeout = "ambiguous_timeout"
        case slowBody = "slow_body"
        case dropped
    }

    public var error500: Double
    public var error503: Double
    public var ambiguous500: Double
    public var ambiguousTimeout: Double
    public var slowBody: Double
    public var dropped: Double
    public var holdSeconds: Double

    public init(error500: Double = 0, error503: Double = 0, ambiguous500: Double = 0, ambiguousTimeout: Double = 0, slowBody: Double = 0,
                dropped: Double = 0, holdSeconds: Double = 60) {
        self.error500 = error500
        self.error503 = error503
        self.ambiguous500 = ambiguous500
        self.ambiguousTimeout = ambiguousTimeout
        self.slowBody = slowBody
        self.dropped = dropped
        self.holdSeconds = holdSeconds
    }

    /// The longest an ambiguous timeout holds its answer (one hour); longer settings are cut to it.
    public static let maximumHoldSeconds = 3600.0

    /// `holdSeconds` within `0...maximumHoldSeconds`, as the responder sleeps it.
    var boundedHoldSeconds: Double {
        holdSeconds.isNaN ? 0 : min(max(holdSeconds, 0), Self.maximumHoldSeconds)
    }

    /// Picks the fault for one request from a uniform random number in `0..<1`, or nil for none.
    func pick(random: Double) -> Kind? {
        var threshold = 0.0
        for (kind, probability) in [(Kind.error500, error500), (.error503, error503), (.ambiguous500, ambiguous500), (.ambiguousTimeout, ambiguousTimeout),
                                    (.slowBody, slowBody), (.dropped, dropped)] {
            threshold += probability
            if probability > 0, random < threshold { return kind }
        }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case error500 = "error_500", error503 = "error_503", ambiguous500 = "ambiguous_500"
        case ambiguousTimeout = "ambiguous_timeout", slowBody = "slow_body", dropped, holdSeconds = "hold_seconds"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            error500: try container.decodeIfPresent(Double.self, forKey: .error500) ?? 0,
            error503: try container.decodeIfPresent(Double.self, forKey: .error503) ?? 0,
            ambiguous500: try container.decodeIfPresent(Double.self, forKey: .ambiguous500) ?? 0,
            ambiguousTimeout: try container.decodeIfPresent(Double.self, forKey: .ambiguousTimeout) ?? 0,
            slowBody: try container.decodeIfPresent(Double.self, forKey: .slowBody) ?? 0,
            dropped: try container.decodeIfPresent(Double.self, forKey: .dropped) ?? 0,
            holdSeconds: try container.decodeIfPresent(Double.self, forKey: .holdSeconds) ?? 60
        )
    }
}
