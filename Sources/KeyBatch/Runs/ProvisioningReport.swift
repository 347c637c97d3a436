/// What a provisioning run did, for the summary and the exit code.
public struct ProvisioningReport: Sendable {
    public var summary: RunSummary
    public var outcome: RunOutcome
    public var httpCalls: Int
    public var duration: Duration

    public init(summary: RunSummary, outcome: RunOutcome, httpCalls: Int, duration: Duration) {
        self.summary = summary
        self.outcome = outcome
        self.httpCalls = httpCalls
        self.duration = duration
    }
}
