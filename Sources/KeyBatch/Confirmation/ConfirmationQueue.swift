/// Rows Seam accepted, parked until the Salto KS site confirms them, and the timer of their next
/// round, as a value: rows, timers fired and verdicts in; timers to arm, rounds to run and
/// releases out; time passed in. `ProvisioningRun` sleeps, runs the rounds and performs what is
/// released (journal, results).
///
/// A parked row has left the window (its slot serves the next row) but keeps its place in the
/// results. Each row backs off on its own: due 0.25 s after Seam accepted it, then 0.5 s, 1 s,
/// 2 s, 4 s and every 8 s after each check that found it pending, so a synchronous Seam costs one
/// quick check and a slow site is not polled every second. A round checks every row due within
/// `coalescing` of its start (so a row may be checked sooner than due), so rows accepted a moment
/// apart share one listing. While rows are being sent, rounds share the rate limit with them:
/// after a round of `c` calls the next waits `c / (budgetShare × rate)` (at most 8 s, and never
/// past a row's timeout), so confirmation takes about a twentieth of the calls; once nothing else
/// is sent, rows are checked as soon as they are due (the run's tail is not stretched by a
/// spacing meant for its middle). A row waits at most `timeout`; with a zero timeout it gets one
/// check at once and no waiting (so a row pending since an earlier run is still re-checked).
///
/// One round runs at a time, except in the run's tail (no row left to start, none in flight):
/// there a row that came due after a round started gets a round of its own beside it (at most
/// `tailRounds` at once) rather than waiting for the first to end. The run's last rows were seen
/// waiting a whole extra round (over a second) for one that had started a moment before they
/// were accepted. A row is in one round at a time.
struct ConfirmationQueue: Sendable {
    struct Parked: Sendable {
        var row: ResultRow
        var expectation: Expectation
        var since: ContinuousClock.Instant
        var reason = "not checked yet"
        /// Checks that found it pending.
        var checks = 0
        /// When it is next checked.
        var due: ContinuousClock.Instant
    }

    /// What to do with a row that leaves the queue.
    enum Release: Sendable {
        /// Seam shows it done: the row keeps its success status; the journal stops awaiting.
        case confirmed(sequence: Int, row: ResultRow, forgetACSUser: Bool)
        /// The site refused it (or it vanished): a failed row with Seam's code; the journal records the refusal.
        case refused(sequence: Int, row: ResultRow, issue: SeamIssue)
        /// Not confirmed in time (or the run is stopping): written `pending`, re-checked next run.
        case pending(sequence: Int, row: ResultRow)
    }

    static let delays: [Duration] = [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8)]

    /// Rows due this soon after a round's start are checked in it.
    static let coalescing: Duration = .seconds(1)
    /// The share of the rate limit rounds may take while rows are still being sent.
    static let budgetShare = 0.05
    /// Rounds at once in the run's tail.
    static let tailRounds = 2

    let timeout: Duration
    private(set) var parked: [Int: Parked] = [:]
    /// While rows are being sent, no round starts before this (the last round's calls, spread
    /// over the budget).
    private var quietUntil: ContinuousClock.Instant?
    /// When the timer last armed fires (nil: none armed, or it fired).
    private var timer: ContinuousClock.Instant?
    /// Rounds being run (their verdicts not yet applied).
    private(set) var roundsInFlight = 0
    /// Rows in a round being run: no other round checks them.
    private var checking: Set<Int> = []

    /// A round is being run.
    var roundInFlight: Bool { roundsInFlight > 0 }

    init(timeout: Duration) {
        self.timeout = timeout
    }

    var isEmpty: Bool { parked.isEmpty }
    /// Rows Seam accepted that wait for the site's confirmation.
    var count: Int { parked.count }

    /// What a round starting at `now` checks: every row due by `now + coalescing` and in no
    /// round already.
    func due(at now: ContinuousClock.Instant) -> [Int: Expectation] {
        parked.filter { $0.value.due <= now + Self.coalescing && !checking.contains($0.key) }.mapValues(\.expectation)
    }

    /// When the next round should start: when the first row is due, and, while rows are being
    /// sent (`sending`), not before the last round's calls are paid for, unless a row's timeout
    /// comes first. nil when nothing waits.
    func nextRound(sending: Bool) -> ContinuousClock.Instant? {
        guard let first = parked.lazy.filter({ !checking.contains($0.key) }).map(\.value.due).min() else { return nil }
        guard sending, let quietUntil else { return first }
        let deadline = parked.values.lazy.map { $0.since + timeout }.min() ?? first
        return max(first, min(quietUntil, deadline))
    }

    /// After any event: the instant to arm a timer for, if the next round needs one sooner than
    /// the timer armed (a row parked since, or the sending that ended, can bring it forward; the
    /// old timer then fires for nothing). nil while a round is in flight, unless `inTail` (no row
    /// left to start, none in flight) and fewer than `tailRounds` are.
    mutating func timerToArm(sending: Bool, inTail: Bool = false) -> ContinuousClock.Instant? {
        guard mayStartRound(inTail: inTail), let next = nextRound(sending: sending), timer.map({ next < $0 }) ?? true else { return nil }
        timer = next
        return next
    }

    /// A timer armed for `instant` fired at `now`: the rows a round should check now, or nil (a
    /// timer since replaced, no round may start, nothing due). The round is then in flight until
    /// its verdicts are applied.
    mutating func timerFired(at instant: ContinuousClock.Instant, now: ContinuousClock.Instant, inTail: Bool = false) -> [Int: Expectation]? {
        guard instant == timer else { return nil }
        timer = nil
        let rows = due(at: now)
        guard mayStartRound(inTail: inTail), !rows.isEmpty else { return nil }
        roundsInFlight += 1
        checking.formUnion(rows.keys)
        return rows
    }

    private func mayStartRound(inTail: Bool) -> Bool {
        roundsInFlight == 0 || (inTail && roundsInFlight < Self.tailRounds)
    }

    /// Parks a row until a round decides it.
    mutating func park(_ row: ResultRow, at sequence: Int, expectation: Expectation, now: ContinuousClock.Instant) {
        let due = timeout > .zero ? now + Self.delays[0] : now
        parked[sequence] = Parked(row: row, expectation: expectation, since: now, due: due)
    }

    /// Applies a round's verdicts (one for every row the round was given): confirmed and refused
    /// rows leave; pending ones are due again after their backoff, and leave once they have
    /// waited `timeout`. `calls` is what the round cost and `rate` the limiter's rate (nil when
    /// unknown: no spacing).
    mutating func apply(_ verdicts: [Int: ConfirmationVerdict], calls: Int = 0, rate: Double? = nil,
                        now: ContinuousClock.Instant) -> [Release] {
        roundsInFlight = max(0, roundsInFlight - 1)
        checking.subtract(verdicts.keys)
        if let rate, rate > 0, calls > 0 {
            quietUntil = now + min(.seconds(Double(calls) / (Self.budgetShare * rate)), Self.delays[Self.delays.count - 1])
        }
        var released: [Release] = []
        for (sequence, verdict) in verdicts.sorted(by: { $0.key < $1.key }) {
            guard var entry = parked[sequence] else { continue }
            switch verdict {
            case .confirmed(let warnings):
                entry.row.seamWarnings = warnings
                let forget: Bool = if case .absent = entry.expectation { true } else { false }
                released.append(.confirmed(sequence: sequence, row: entry.row, forgetACSUser: forget))
                parked[sequence] = nil
            case .refused(let issue), .missing(let issue):
                entry.row.status = .failed
                entry.row.errorCode = issue.code
                entry.row.errorMessage = issue.message.isEmpty ? "the Salto KS site refused: \(issue.code)" : issue.message
                released.append(.refused(sequence: sequence, row: entry.row, issue: issue))
                parked[sequence] = nil
            case .pending(let reason):
                entry.reason = reason
                if now - entry.since >= timeout {
                    released.append(Self.pending(sequence, entry))
                    parked[sequence] = nil
                } else {
                    // The last check comes at the timeout, not a backoff after it.
                    entry.due = min(now + Self.delays[min(entry.checks + 1, Self.delays.count - 1)], entry.since + timeout)
                    entry.checks += 1
                    parked[sequence] = entry
                }
            }
        }
        return released
    }

    /// The run is stopping: every parked row leaves as `pending`.
    mutating func releaseAll() -> [Release] {
        defer {
            parked = [:]
            checking = []
            timer = nil
        }
        return parked.sorted { $0.key < $1.key }.map { Self.pending($0.key, $0.value) }
    }

    private static func pending(_ sequence: Int, _ entry: Parked) -> Release {
        var row = entry.row
        row.status = .pending
        row.errorMessage = "waiting for the Salto KS site: \(entry.reason)"
        return .pending(sequence: sequence, row: row)
    }
}
