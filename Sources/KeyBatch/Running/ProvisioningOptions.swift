/// How a provisioning run paces itself and when it gives up.
public struct ProvisioningOptions: Sendable {
    /// Rows in flight at once. Seam's own pace is set by the rate limiter; this bounds memory and
    /// how many rows an interruption leaves half-done.
    public var concurrency: Int
    public var failureBudget: FailureBudget?
    /// After a stop request, how long rows in flight may take to finish before they are cancelled.
    public var drainDeadline: Duration

    public init(concurrency: Int = 8, failureBudget: FailureBudget? = nil, drainDeadline: Duration = .seconds(30)) {
        self.concurrency = max(1, concurrency)
        self.failureBudget = failureBudget
        self.drainDeadline = drainDeadline
    }
}
