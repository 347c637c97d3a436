/// How a provisioning run paces itself and when it gives up.
public struct ProvisioningOptions: Sendable {
    /// Rows in flight at once. Seam's own pace is set by the rate limiter; this bounds memory and
    /// how many rows an interruption leaves half-done.
    public var concurrency: Int
    public var failureBudget: FailureBudget?
    /// After a stop request, how long rows in flight may take to finish before they are cancelled.
    public var drainDeadline: Duration

    /// Delete the ACS users of stays whose check-out has passed.
    public var cleanupExpired: Bool
    /// The file is the full list of current reservations: revoke what the state has and the file lacks.
    public var sync: Bool
    /// Most revocations `--sync` may make in one run; nil means 10% of the reservations in the state.
    public var maxRevocations: Int?
    /// `--confirm-timeout`: how long a row Seam accepted may wait for the Salto KS site's
    /// confirmation before it is written as `pending`; zero writes it `pending` at once.
    public var confirmTimeout: Duration
    /// How long a create another run sent may still land at Seam after that run stopped answering
    /// for it (the CLI sets `--request-timeout` + 1 s). A run that finds a create announced more
    /// recently than this waits out the rest before looking it up (`ProvisioningRun`); zero: no wait.
    public var inFlightGrace: Duration
    /// `--verify`: a row the state calls unchanged is checked against what Seam holds (one bulk
    /// sweep per ACS system) and any drift is mended (`Planner.repair`).
    public var verify: Bool
    /// `--instant-keys`: every row provisioned in this run gets an instant key link in the
    /// results (`InstantKeyTally` says which rows and why not).
    public var instantKeys: Bool
    /// The window adapts to the pace Seam shows (`ConcurrencyLimit`), with `concurrency` as its
    /// ceiling; off, exactly `concurrency` rows are in flight.
    public var adaptiveConcurrency: Bool
    /// `--join-gap`: a guest's stays on one site less than this apart (or overlapping) form one
    /// visit, held by their one ACS user from the first check-in to the last check-out.
    public var joinGap: Duration

    public init(concurrency: Int = 8, failureBudget: FailureBudget? = nil, drainDeadline: Duration = .seconds(30),
                cleanupExpired: Bool = false, sync: Bool = false, maxRevocations: Int? = nil, confirmTimeout: Duration = .seconds(60),
                inFlightGrace: Duration = .zero, verify: Bool = false, instantKeys: Bool = false, adaptiveConcurrency: Bool = false,
                joinGap: Duration = .seconds(86_400)) {
        self.concurrency = max(1, concurrency)
        self.failureBudget = failureBudget
        self.drainDeadline = drainDeadline
        self.cleanupExpired = cleanupExpired
        self.sync = sync
        self.maxRevocations = maxRevocations
        self.confirmTimeout = confirmTimeout
        self.inFlightGrace = inFlightGrace
        self.verify = verify
        self.instantKeys = instantKeys
        self.adaptiveConcurrency = adaptiveConcurrency
        self.joinGap = joinGap
    }

    /// The `--sync` guard for a state holding `active` stays that may hold access.
    public func revocationLimit(active: Int) -> Int {
        maxRevocations ?? max(1, active / 10)
    }
}
