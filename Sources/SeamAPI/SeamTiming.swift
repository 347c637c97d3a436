/// How long a run's Seam calls waited for Seam, summed since the client was made: what the
/// adaptive window sizes itself by (Little's law: rows in flight ≈ rate × time per call).
public struct SeamTiming: Sendable, Equatable {
    /// Attempts that got an answer or failed in transport.
    public var attempts = 0
    /// Seconds those attempts waited for Seam (request sent to answer or failure).
    public var serviceSeconds = 0.0

    public init(attempts: Int = 0, serviceSeconds: Double = 0) {
        self.attempts = attempts
        self.serviceSeconds = serviceSeconds
    }
}
