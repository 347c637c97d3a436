import CSV
import Logging

/// `keybatch provision`: streams validated rows into a sliding window of concurrent provisioning
/// tasks and writes every row's result, in input order, as soon as it and all rows before it are done.
///
/// Structured concurrency throughout: one task group holds the rows in flight (never more than
/// `concurrency`), a watcher for the stop signal, and, once stopping, a drain deadline. A failing
/// row never cancels its siblings; only a 401 or the drain deadline cancels what is in flight.
public struct ProvisioningRun: Sendable {
    public var input: InputOptions
    public var resultsPath: String
    public var options: ProvisioningOptions
    public var operations: any SeamOperations
    public var journal: any ProvisioningJournal
    public var stop: StopSignal
    public var neutraliseFormulas: Bool
    public var lineEnding: CSVLineEnding
    public var logger: Logger

    public init(input: InputOptions, resultsPath: String, options: ProvisioningOptions, operations: any SeamOperations,
                journal: any ProvisioningJournal = NoJournal(), stop: StopSignal = StopSignal(), neutraliseFormulas: Bool = true,
                lineEnding: CSVLineEnding = .crlf, logger: Logger) {
        self.input = input
        self.resultsPath = resultsPath
        self.options = options
        self.operations = operations
        self.journal = journal
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

    public func run() async throws -> ProvisioningReport {
        let clock = ContinuousClock()
        let started = clock.now
        let (catalog, stream) = try input.open()
        if !stream.layout.unknownColumns.isEmpty {
            logger.warning("\(input.reservationsPath): ignoring unknown columns: \(stream.layout.unknownColumns.joined(separator: ", "))")
        }
        let writer = try ResultsWriter(path: resultsPath, layout: .provisioning, lineEnding: lineEnding, neutraliseFormulas: neutraliseFormulas)

        let results = ResultCollector(writer: writer)
        var httpCalls = 0
        var outcome = RunOutcome.completed

        // Listings whose system or groups are missing fail their rows without a single call.
        let (preflight, preflightCalls) = await Self.preflight(catalog, operations)
        httpCalls += preflightCalls
        var listingProblems: [String: ProvisioningFailure] = [:]
        switch preflight {
        case .success(let problems): listingProblems = problems
        case .failure(let failure) where failure.isUnauthorized: outcome = .unauthorized(message: failure.message)
        case .failure(let failure): throw failure
        }

        let identities = IdentityDirectory(operations: operations)
        let provisioner = Provisioner(operations: operations, identities: identities, journal: journal)
        let maxBuffered = options.concurrency * 4 + 64
        let operations = operations

        try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask { [stop] in
                await stop.wait()
                return .stopRequested
            }
            var inFlight = 0
            var finished = 0
            var failed = 0
            var acceptingRows = outcome == .completed

            while true {
                // Read ahead while the window and the reorder buffer have room.
                while acceptingRows, inFlight < options.concurrency, results.heldBack < maxBuffered, let row = try stream.next() {
                    let position = results.takeSequence()
                    guard case .ready(let reservation) = row.verdict else {
                        try results.deliver(ResultRow(validated: row), at: position)
                        continue
                    }
                    if let problem = listingProblems[reservation.listingID] {
                        failed += 1
                        finished += 1
                        try results.deliver(Self.failedRow(row.identity, problem, calls: 0), at: position)
                        continue
                    }
                    let listing = catalog[reservation.listingID]!
                    inFlight += 1
                    group.addTask {
                        await Self.work(row.identity, reservation, listing, position, provisioner, operations)
                    }
                }
                if inFlight == 0 { break }

                guard let event = try await group.next() else { break }
                switch event {
                case .finished(let position, let row, let failure):
                    inFlight -= 1
                    finished += 1
                    httpCalls += row.httpCalls
                    try results.deliver(row, at: position)
                    try results.flush()
                    guard let failure else { continue }
                    failed += 1
                    if failure.isUnauthorized, case .completed = outcome {
                        outcome = .unauthorized(message: failure.message)
                        acceptingRows = false
                        group.cancelAll()
                    } else if let budget = options.failureBudget, case .completed = outcome, budget.isExceeded(failed: failed, finished: finished) {
                        outcome = .aborted(reason: "\(failed) of \(finished) finished rows failed, over --max-failures")
                        acceptingRows = false
                    }
                case .stopRequested:
                    guard case .completed = outcome else { continue }
                    outcome = .interrupted
                    acceptingRows = false
                    let deadline = options.drainDeadline
                    logger.warning("stopping: no new rows; waiting up to \(deadline) for \(inFlight) in flight")
                    group.addTask {
                        try? await Task.sleep(for: deadline)
                        return .drainDeadlinePassed
                    }
                case .drainDeadlinePassed:
                    if inFlight > 0 {
                        logger.warning("drain deadline passed: cancelling \(inFlight) rows in flight")
                        group.cancelAll()
                    }
                }
                if !acceptingRows && inFlight == 0 { break }
            }
            group.cancelAll()
        }

        // Whatever was not started is still accounted for, one result line per input row.
        while let row = try stream.next() {
            let position = results.takeSequence()
            if case .ready = row.verdict {
                try results.deliver(ResultRow(identity: row.identity, status: .notStarted), at: position)
            } else {
                try results.deliver(ResultRow(validated: row), at: position)
            }
        }
        try results.finish()
        return ProvisioningReport(summary: results.summary, outcome: outcome, httpCalls: httpCalls, duration: clock.now - started)
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

    private static func work(_ identity: ValidatedRow.Identity, _ reservation: Reservation, _ listing: Listing, _ position: Int,
                             _ provisioner: Provisioner, _ operations: any SeamOperations) async -> Event {
        let (outcome, calls) = await operations.measuringCalls { await handle(reservation, listing, provisioner) }
        switch outcome {
        case .success(let keys):
            let status: ResultStatus = reservation.status == .cancelled ? .revoked : .provisioned
            return .finished(sequence: position, row: row(identity, status: status, keys: keys, calls: calls), failure: nil)
        case .failure(let failure):
            return .finished(sequence: position, row: failedRow(identity, failure, calls: calls), failure: failure)
        }
    }

    private static func handle(_ reservation: Reservation, _ listing: Listing, _ provisioner: Provisioner) async -> Result<ProvisionedKeys, ProvisioningFailure> {
        do {
            return .success(reservation.status == .cancelled
                ? try await provisioner.revoke(reservation, listing: listing, known: nil)
                : try await provisioner.provision(reservation, listing: listing, known: nil))
        } catch {
            return .failure(error)
        }
    }

    static func row(_ identity: ValidatedRow.Identity, status: ResultStatus, keys: ProvisionedKeys, calls: Int) -> ResultRow {
        ResultRow(identity: identity, status: status, userIdentityID: keys.userIdentityID, acsUserID: keys.acsUserID,
                  acsCredentialID: keys.acsCredentialID, accessGroupIDs: keys.accessGroupIDs, httpCalls: calls)
    }

    static func failedRow(_ identity: ValidatedRow.Identity, _ failure: ProvisioningFailure, calls: Int) -> ResultRow {
        var row = Self.row(identity, status: .failed, keys: failure.progress, calls: calls)
        row.errorCode = failure.code
        row.errorMessage = failure.message
        return row
    }
}
