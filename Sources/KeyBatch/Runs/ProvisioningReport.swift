/// What a provisioning run did, for the summary and the exit code.
public struct ProvisioningReport: Sendable {
    public var summary: RunSummary
    public var outcome: RunOutcome
    public var httpCalls: Int
    public var duration: Duration
    /// Run-level notes for the summary (a Salto KS site close to its subscription limit).
    public var warnings: [String]
    /// `--verify`: ACS users on the systems read that the state does not know (`unknown_to_state`),
    /// left alone.
    public var strangers: [ACSUserState] = []
    /// The reservations file's SHA-256 (nil for standard input), for the JSON summary.
    public var inputSHA256: String?
    /// Guests' sites no row of the file holds any more whose work failed or is pending (pass 3):
    /// "email on system: status: message". A failed one makes the run's exit code 1.
    public var siteProblems: [String] = []
    public var siteFailures = 0
    /// `--instant-keys`: links issued and refused; nil when not asked.
    public var instantKeys: InstantKeyTally?

    public init(summary: RunSummary, outcome: RunOutcome, httpCalls: Int, duration: Duration, warnings: [String] = []) {
        self.summary = summary
        self.outcome = outcome
        self.httpCalls = httpCalls
        self.duration = duration
        self.warnings = warnings
    }
}
