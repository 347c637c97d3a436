import SeamAPI

/// What the adaptive window reads of Seam: the rate the limiter allows now (lower after a 429)
/// and where the calls spent their time.
public struct SeamPace: Sendable, Equatable {
    public var rate: Double
    public var timing: SeamTiming

    public init(rate: Double, timing: SeamTiming) {
        self.rate = rate
        self.timing = timing
    }
}
