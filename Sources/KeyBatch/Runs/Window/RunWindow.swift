/// The sliding window of a provisioning run, as a value: how many rows are in flight, how many
/// finished and failed, and how the run is ending. Events in, actions out; no clock, no tasks.
///
/// Both passes of `provision` (the file's rows, then `--sync`'s revocations) run through one
/// window, so Ctrl-C with its drain deadline, a 401 and `--max-failures` act the same in both,
/// and the failure budget counts across them.
struct RunWindow: Sendable, Equatable {
    /// How a finished row failed, as far as the window cares.
    enum Failure: Sendable, Equatable {
        /// Seam refused the API key: no other row can succeed.
        case unauthorized(message: String)
        /// Seam could not be reached at all: every other row would wait out the same timeouts.
        case unreachable(message: String)
        case other
    }

    enum Event: Sendable, Equatable {
        /// A row that was in flight finished, failed or not.
        case rowFinished(Failure?)
        /// A row failed without being sent (its listing is unusable, the check itself failed):
        /// counted; a refused key, or a listing check (the run's first call) that could not reach
        /// Seam, stops the run at once; `--max-failures` is judged when a sent row finishes.
        case rowFailedUnsent(Failure)
        /// A confirmation round could not reach Seam (its rows stay pending): counts toward
        /// `unreachableStreakLimit` like a row that could not.
        case confirmationUnreachable(message: String)
        /// SIGINT or SIGTERM.
        case stopRequested
        /// The drain deadline started at a stop has passed.
        case drainDeadlinePassed
    }

    enum Action: Sendable, Equatable {
        case none
        /// Cancel every row in flight (a 401, Seam unreachable, or the drain deadline).
        case cancelInFlight
        /// Start the drain deadline: rows in flight get this long to finish.
        case startDrainTimer(Duration)
    }

    /// Rows that may be in flight now: `--concurrency`, or what `ConcurrencyLimit` says below it.
    private(set) var concurrency: Int
    let failureBudget: FailureBudget?
    let drainDeadline: Duration

    private(set) var outcome = RunOutcome.completed
    private(set) var inFlight = 0
    private(set) var finished = 0
    private(set) var failed = 0
    /// A stop was requested and the drain deadline is running (or has passed).
    private(set) var isDraining = false
    /// Seam exchanges in a row (rows finished, confirmation rounds) that could not connect after
    /// their retries, with no row reaching Seam in between.
    private(set) var unreachableStreak = 0
    /// A short outage (a load balancer restarting) fails a row or two and passes; this many in a
    /// row, each after its own retries, means Seam is out of reach and the rest would only wait
    /// out the same timeouts.
    static let unreachableStreakLimit = 3

    init(concurrency: Int, failureBudget: FailureBudget?, drainDeadline: Duration) {
        self.concurrency = max(1, concurrency)
        self.failureBudget = failureBudget
        self.drainDeadline = drainDeadline
    }

    init(_ options: ProvisioningOptions) {
        self.init(concurrency: options.concurrency, failureBudget: options.failureBudget, drainDeadline: options.drainDeadline)
    }

    /// Whether the run still takes new rows at all (it stops for good at a stop, a 401 or an abort).
    var acceptsRows: Bool { outcome == .completed && !isDraining }

    /// Whether one more row may be sent now.
    var hasRoom: Bool { acceptsRows && inFlight < concurrency }

    var isIdle: Bool { inFlight == 0 }

    /// The adaptive window's new size; rows already in flight above it still finish.
    mutating func resize(to limit: Int) {
        concurrency = max(1, limit)
    }

    /// A row was sent.
    mutating func rowStarted() {
        precondition(hasRoom, "a row started without room in the window")
        inFlight += 1
    }

    mutating func handle(_ event: Event) -> Action {
        switch event {
        case .rowFinished(let failure):
            precondition(inFlight > 0, "a row finished that was not in flight")
            inFlight -= 1
            if case .unreachable(let message) = failure {
                finished += 1
                failed += 1
                return noteUnreachable(message)
            }
            unreachableStreak = 0
            return count(failure)
        case .rowFailedUnsent(let failure):
            return count(failure, judgesBudget: false)
        case .confirmationUnreachable(let message):
            return noteUnreachable(message)
        case .stopRequested:
            if outcome == .completed { outcome = .interrupted }
            guard !isDraining else { return .none }
            isDraining = true
            return .startDrainTimer(drainDeadline)
        case .drainDeadlinePassed:
            return inFlight > 0 ? .cancelInFlight : .none
        }
    }

    private mutating func noteUnreachable(_ message: String) -> Action {
        unreachableStreak += 1
        guard outcome == .completed, unreachableStreak >= Self.unreachableStreakLimit else { return .none }
        outcome = .unreachable(message: message)
        return .cancelInFlight
    }

    private mutating func count(_ failure: Failure?, judgesBudget: Bool = true) -> Action {
        finished += 1
        guard let failure else { return .none }
        failed += 1
        guard outcome == .completed else { return .none }
        switch failure {
        case .unauthorized(let message):
            outcome = .unauthorized(message: message)
            return .cancelInFlight
        case .unreachable(let message):
            outcome = .unreachable(message: message)
            return .cancelInFlight
        case .other:
            break
        }
        if judgesBudget, let failureBudget, failureBudget.isExceeded(failed: failed, finished: finished) {
            // Rows in flight finish (they are paid for); no new row starts.
            outcome = .aborted(reason: "\(failed) of \(finished) finished rows failed, more than --max-failures allows")
        }
        return .none
    }
}

extension RunWindow.Failure {
    init(_ failure: ProvisioningFailure) {
        self = failure.isUnauthorized ? .unauthorized(message: failure.message)
            : failure.isUnreachable || failure.isUnanswered ? .unreachable(message: failure.message) : .other
    }
}

extension RunWindow {
    /// The run stops before sending anything more, for a reason found outside the window
    /// (`--sync`'s revocation guard).
    mutating func abort(reason: String) {
        if outcome == .completed { outcome = .aborted(reason: reason) }
    }

    /// A stop that arrived when nothing was in flight: the run is interrupted, with no drain to run.
    mutating func markInterrupted() {
        if outcome == .completed { outcome = .interrupted }
    }
}
