/// Where a run's Seam calls spent their time, summed since the client was made: what the
/// adaptive window sizes itself by (Little's law: rows in flight ≈ rate × time per row).
public struct SeamTiming: Sendable, Equatable {
    /// Attempts that got an answer or failed in transport.
    public var attempts = 0
    /// Seconds those attempts waited for Seam (request sent to answer or failure).
    public var serviceSeconds = 0.0
    /// Seconds attempts waited for the rate limiter's token before being sent.
    public var tokenWaitSeconds = 0.0

    public init(attempts: Int = 0, serviceSeconds: Double = 0, tokenWaitSeconds: Double = 0) {
        self.attempts = attempts
        self.serviceSeconds = serviceSeconds
        self.tokenWaitSeconds = tokenWaitSeconds
    }
}
