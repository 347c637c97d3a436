/// Rows Seam accepted, parked until the Salto KS site confirms them, as a value: rows and
/// verdicts in, releases out, time passed in. `ProvisioningRun` performs what it releases
/// (journal, results) and runs the rounds it asks for.
///
/// A parked row has left the window (its slot serves the next row) but keeps its place in the
/// results. Rounds back off (0.25 s, 0.5 s, 1 s, 2 s, 4 s, then every 8 s) while rows wait, and
/// start again from the shortest once none does, so a synchronous Seam costs one quick round and
/// a slow site is not polled every second. A row waits at most `timeout`; with a zero timeout it
/// gets one round at once and no waiting (so a row pending since an earlier run is still
/// re-checked).
struct ConfirmationQueue: Sendable {
    struct Parked: Sendable {
        var row: ResultRow
        var expectation: Expectation
        var since: ContinuousClock.Instant
        var reason = "not checked yet"
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

    let timeout: Duration
    private(set) var parked: [Int: Parked] = [:]
    private var rounds = 0

    init(timeout: Duration) {
        self.timeout = timeout
    }

    var isEmpty: Bool { parked.isEmpty }
    /// Rows Seam accepted that wait for the site's confirmation.
    var count: Int { parked.count }

    /// What the next round checks.
    var expectations: [Int: Expectation] { parked.mapValues(\.expectation) }

    /// Parks a row until a round decides it.
    mutating func park(_ row: ResultRow, at sequence: Int, expectation: Expectation, now: ContinuousClock.Instant) {
        parked[sequence] = Parked(row: row, expectation: expectation, since: now)
    }

    /// How long to wait before the next round.
    mutating func nextDelay() -> Duration {
        guard timeout > .zero else { return .zero }
        defer { rounds += 1 }
        return Self.delays[min(rounds, Self.delays.count - 1)]
    }

    /// Applies a round's verdicts: confirmed and refused rows leave; pending ones leave once they
    /// have waited `timeout`.
    mutating func apply(_ verdicts: [Int: ConfirmationVerdict], now: ContinuousClock.Instant) -> [Release] {
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
                entry.row.errorCode = .seam(issue.code)
                entry.row.errorMessage = issue.message.isEmpty ? "the Salto KS site refused: \(issue.code)" : issue.message
                released.append(.refused(sequence: sequence, row: entry.row, issue: issue))
                parked[sequence] = nil
            case .pending(let reason):
                entry.reason = reason
                if now - entry.since >= timeout {
                    released.append(Self.pending(sequence, entry))
                    parked[sequence] = nil
                } else {
                    parked[sequence] = entry
                }
            }
        }
        if parked.isEmpty { rounds = 0 }
        return released
    }

    /// The run is stopping: every parked row leaves as `pending`.
    mutating func releaseAll() -> [Release] {
        defer {
            parked = [:]
            rounds = 0
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
