import CSV
import Foundation
import Logging

/// `keybatch provision`: streams validated rows through the planner into a sliding window of
/// concurrent provisioning tasks, and writes every row's result, in input order, as soon as it
/// and every row before it are done.
///
/// Structured concurrency throughout: one task group holds the rows in flight (never more than
/// `concurrency`), a watcher for the stop signal and, once stopping, a drain deadline. A failing
/// row never cancels its siblings; only a 401 or the drain deadline cancels what is in flight.
public struct ProvisioningRun: Sendable {
    public var input: InputOptions
    public var resultsPath: String
    public var options: ProvisioningOptions
    public var operations: any SeamOperations
    /// nil runs without a state file (`--no-state`): every row is looked up in Seam.
    public var state: StateStore?
    public var stop: StopSignal
    public var neutraliseFormulas: Bool
    public var lineEnding: CSVLineEnding
    public var logger: Logger

    public init(input: InputOptions, resultsPath: String, options: ProvisioningOptions, operations: any SeamOperations,
                state: StateStore?, stop: StopSignal = StopSignal(), neutraliseFormulas: Bool = true,
                lineEnding: CSVLineEnding = .crlf, logger: Logger) {
        self.input = input
        self.resultsPath = resultsPath
        self.options = options
        self.operations = operations
        self.state = state
        self.stop = stop
        self.neutraliseFormulas = neutraliseFormulas
        self.lineEnding = lineEnding
        self.logger = logger
    }

    private enum Event: Sendable {
        case finished(sequence: Int, row: ResultRow, failure: ProvisioningFailure?)
        case stopRequested
        case drainDeadlinePassed
    }

    /// Mutable bookkeeping of one run, kept in one place so the loop reads as the algorithm.
    private final class Progress {
        var outcome = RunOutcome.completed
        var httpCalls = 0
        var inFlight = 0
        var finished = 0
        var failed = 0
        var listingProblems: [String: ProvisioningFailure]?
        var draining = false
        let started = ContinuousClock.now
        var lastReport = ContinuousClock.now
        var acceptingRows: Bool { outcome == .completed }
    }

    public func run() async throws -> ProvisioningReport {
        let clock = ContinuousClock()
        let started = clock.now
        let (catalog, stream) = try input.open(logger: logger)
        let runID = try await state?.beginRun(command: "provision", inputPath: input.reservationsPath,
                                              inputSHA256: FileDigest.sha256(path: input.reservationsPath))
        let activeBefore = try state?.activeCount() ?? 0
        let journal = CrashFailpoint.wrapping(state.map { StateJournal(store: $0, runID: runID ?? 0) } ?? NoJournal(),
                                              environment: ProcessInfo.processInfo.environment)
        let results = ResultCollector(writer: try ResultsWriter(path: resultsPath, layout: .provisioning, lineEnding: lineEnding,
                                                                neutraliseFormulas: neutraliseFormulas))
        let executor = RowExecutor(provisioner: Provisioner(operations: operations, identities: IdentityDirectory(operations: operations), journal: journal),
                                   journal: journal)
        let planner = Planner(hasState: state != nil, cleanupExpired: options.cleanupExpired)
        let progress = Progress()

        try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask { [stop] in
                await stop.wait()
                return .stopRequested
            }
            try await runWindow(group: &group, stream: stream, catalog: catalog, planner: planner, executor: executor,
                                results: results, progress: progress)
            group.cancelAll()
        }

        // Rows after an interruption or abort are still accounted for, one result line each.
        while let row = try stream.next() {
            let position = results.takeSequence()
            if case .ready = row.verdict {
                try results.deliver(ResultRow(identity: row.identity, status: .notStarted), at: position)
            } else {
                try results.deliver(ResultRow(validated: row), at: position)
            }
        }

        if stop.isRequested, progress.outcome == .completed { progress.outcome = .interrupted }
        if options.sync, progress.outcome == .completed, let state {
            try await revokeAbsent(state: state, seen: stream.reservationIDs, activeBefore: activeBefore, executor: executor,
                                   results: results, progress: progress)
        }
        try results.finish()
        let report = ProvisioningReport(summary: results.summary, outcome: progress.outcome, httpCalls: progress.httpCalls,
                                        duration: clock.now - started)
        if let state, let runID {
            try await state.finishRun(runID, outcome: report.outcome.name,
                                      counts: Dictionary(uniqueKeysWithValues: report.summary.byStatus.map { ($0.key.rawValue, $0.value) }))
        }
        return report
    }

    /// The sliding window: read ahead while there is room, then wait for one event, until the
    /// file is done (or the run stops) and nothing is in flight.
    private func runWindow(group: inout ThrowingTaskGroup<Event, any Error>, stream: ReservationStream, catalog: ListingCatalog,
                           planner: Planner, executor: RowExecutor, results: ResultCollector, progress: Progress) async throws {
        let maxHeldBack = options.concurrency * 4 + 64
        while true {
            while progress.acceptingRows, !stop.isRequested, progress.inFlight < options.concurrency, results.heldBack < maxHeldBack,
                  let row = try stream.next() {
                let position = results.takeSequence()
                let reservation = row.reservation
                let listing = reservation.flatMap { catalog[$0.listingID] }
                let record = try reservation.flatMap { try state?.record(for: $0.reservationID) }
                let action = planner.decide(row, record: record, listing: listing)
                guard case .none(let status) = action else {
                    if let problem = await listingProblem(for: listing, catalog: catalog, progress: progress) {
                        progress.failed += 1
                        progress.finished += 1
                        try results.deliver(Self.failedRow(row.identity, action: action, problem, calls: 0), at: position)
                        continue
                    }
                    progress.inFlight += 1
                    let operations = operations
                    group.addTask {
                        await Self.work(row.identity, action, reservation, listing, position, executor, operations)
                    }
                    continue
                }
                var result = ResultRow(validated: row)
                result.action = action.name
                if status == .unchanged, let record {
                    result = Self.row(row.identity, status: .unchanged, action: action, keys: record.keys, calls: 0)
                }
                try results.deliver(result, at: position)
            }
            if progress.inFlight == 0 { return }

            guard let event = try await group.next() else { return }
            switch event {
            case .finished(let position, let row, let failure):
                progress.inFlight -= 1
                progress.finished += 1
                progress.httpCalls += row.httpCalls
                try results.deliver(row, at: position)
                try results.flush()
                reportProgress(progress, results: results)
                guard let failure else { continue }
                progress.failed += 1
                if failure.isUnauthorized, progress.outcome == .completed {
                    progress.outcome = .unauthorized(message: failure.message)
                    group.cancelAll()
                } else if let budget = options.failureBudget, progress.outcome == .completed,
                          budget.isExceeded(failed: progress.failed, finished: progress.finished) {
                    progress.outcome = .aborted(reason: "\(progress.failed) of \(progress.finished) finished rows failed, more than --max-failures allows")
                }
            case .stopRequested:
                // The watcher also returns when it is cancelled (at a 401): only a real stop counts.
                guard stop.isRequested, !progress.draining else { continue }
                if progress.outcome == .completed { progress.outcome = .interrupted }
                progress.draining = true
                let deadline = options.drainDeadline
                logger.warning("stopping: no new rows; waiting up to \(deadline) for \(progress.inFlight) rows in flight")
                group.addTask {
                    try? await Task.sleep(for: deadline)
                    return .drainDeadlinePassed
                }
            case .drainDeadlinePassed:
                if progress.inFlight > 0 {
                    logger.warning("drain deadline passed: cancelling \(progress.inFlight) rows in flight")
                    group.cancelAll()
                }
            }
        }
    }

    /// A line every `progressInterval` on long runs, so a nightly log shows the run is alive.
    private func reportProgress(_ progress: Progress, results: ResultCollector) {
        let now = ContinuousClock.now
        guard now - progress.lastReport >= Self.progressInterval else { return }
        progress.lastReport = now
        let seconds = (now - progress.started).inSeconds
        let written = results.summary.rows
        logger.info("progress: \(written) rows written, \(progress.finished) sent to Seam (\(progress.failed) failed), \(progress.httpCalls) HTTP calls, \(Int(Double(progress.finished) / max(seconds, 1) * 60)) rows/min")
    }

    static let progressInterval: Duration = .seconds(15)

    /// Checks every listing against Seam the first time a row needs a call, not before, so a
    /// rerun with nothing to do makes no call at all.
    private func listingProblem(for listing: Listing?, catalog: ListingCatalog, progress: Progress) async -> ProvisioningFailure? {
        if progress.listingProblems == nil {
            let (result, calls) = await Self.preflight(catalog, operations)
            progress.httpCalls += calls
            switch result {
            case .success(let problems):
                progress.listingProblems = problems
            case .failure(let failure):
                // Not remembered: the next row that needs Seam checks again, so a passing fault
                // never lets a mistyped listing through unchecked.
                if failure.isUnauthorized { progress.outcome = .unauthorized(message: failure.message) }
                return failure
            }
        }
        return listing.flatMap { progress.listingProblems?[$0.listingID] }
    }

    /// `--sync`: revokes what the state holds and the file no longer lists, unless that is more
    /// than the guard allows, in which case nothing is revoked and the run is aborted.
    private func revokeAbsent(state: StateStore, seen: Set<String>, activeBefore: Int, executor: RowExecutor,
                              results: ResultCollector, progress: Progress) async throws {
        let sync = SyncRevocations(active: try state.activeRecords(), seen: seen, now: input.now,
                                   limit: options.revocationLimit(active: activeBefore))
        if let blocked = sync.blockedReason {
            progress.outcome = .aborted(reason: blocked)
            return
        }
        let absent = sync.absent
        guard !absent.isEmpty else { return }
        let operations = operations
        try await withThrowingTaskGroup(of: (Int, ResultRow).self) { group in
            var next = 0
            var inFlight = 0
            while next < absent.count || inFlight > 0 {
                while next < absent.count, inFlight < options.concurrency, !stop.isRequested, progress.outcome == .completed {
                    let record = absent[next]
                    let position = results.takeSequence()
                    next += 1
                    inFlight += 1
                    group.addTask {
                        let (outcome, calls) = await operations.measuringCalls { await executor.revokeAbsent(record) }
                        let identity = record.identity
                        let action = PlannedAction.revoke(known: record.knownProgress)
                        if let failure = outcome.failure {
                            return (position, Self.failedRow(identity, action: action, failure, calls: calls))
                        }
                        return (position, Self.row(identity, status: .revoked, action: action, keys: outcome.keys, calls: calls))
                    }
                }
                guard inFlight > 0 else { break }
                if let (position, row) = try await group.next() {
                    inFlight -= 1
                    progress.httpCalls += row.httpCalls
                    try results.deliver(row, at: position)
                    if row.errorCode == "unauthorized", progress.outcome == .completed {
                        progress.outcome = .unauthorized(message: row.errorMessage ?? "unauthorized")
                    }
                }
            }
            if stop.isRequested, progress.outcome == .completed { progress.outcome = .interrupted }
            // Revocations not started are still reported, once each.
            for record in absent[next...] {
                var row = Self.row(record.identity, status: .notStarted, action: .revoke(known: record.knownProgress), keys: record.keys, calls: 0)
                row.errorMessage = "not revoked: the run stopped first"
                try results.deliver(row, at: results.takeSequence())
            }
        }
    }

    private static func preflight(_ catalog: ListingCatalog, _ operations: any SeamOperations) async
        -> (result: Result<[String: ProvisioningFailure], ProvisioningFailure>, calls: Int) {
        await operations.measuringCalls { await checkListings(catalog, operations) }
    }

    private static func checkListings(_ catalog: ListingCatalog, _ operations: any SeamOperations) async -> Result<[String: ProvisioningFailure], ProvisioningFailure> {
        do {
            return .success(try await ListingPreflight.check(catalog, operations: operations))
        } catch {
            return .failure(error)
        }
    }

    private static func work(_ identity: ValidatedRow.Identity, _ action: PlannedAction, _ reservation: Reservation?, _ listing: Listing?,
                             _ position: Int, _ executor: RowExecutor, _ operations: any SeamOperations) async -> Event {
        let (outcome, calls) = await operations.measuringCalls { await executor.execute(action, reservation: reservation, listing: listing) }
        if let failure = outcome.failure {
            return .finished(sequence: position, row: failedRow(identity, action: action, failure, calls: calls), failure: failure)
        }
        return .finished(sequence: position, row: row(identity, status: outcome.status, action: action, keys: outcome.keys, calls: calls), failure: nil)
    }

    static func row(_ identity: ValidatedRow.Identity, status: ResultStatus, action: PlannedAction, keys: ProvisionedKeys, calls: Int) -> ResultRow {
        var row = ResultRow(identity: identity, status: status, userIdentityID: keys.userIdentityID, acsUserID: keys.acsUserID,
                            acsCredentialID: keys.acsCredentialID, accessGroupIDs: keys.accessGroupIDs, httpCalls: calls)
        row.action = action.name
        return row
    }

    static func failedRow(_ identity: ValidatedRow.Identity, action: PlannedAction, _ failure: ProvisioningFailure, calls: Int) -> ResultRow {
        var row = Self.row(identity, status: .failed, action: action, keys: failure.progress, calls: calls)
        row.errorCode = failure.code
        row.errorMessage = failure.message
        return row
    }
}

extension RunOutcome {
    /// Stored in the state file's run table.
    public var name: String {
        switch self {
        case .completed: "completed"
        case .interrupted: "interrupted"
        case .aborted: "aborted"
        case .unauthorized: "unauthorized"
        }
    }
}
