import Foundation
import Logging

/// `keybatch provision`: streams validated rows through the planner into a sliding window of
/// concurrent provisioning tasks, and writes every row's result, in input order, as soon as it
/// and every row before it are done; then, with `--sync`, revokes what the file no longer lists
/// through the same window.
///
/// Structured concurrency throughout: one task group per pass holds the rows in flight (never
/// more than `concurrency`), a watcher for the stop signal and, once stopping, a drain deadline.
/// What to do at each event is decided by `RunWindow`, a value; this type only performs it.
/// A failing row never cancels its siblings; only a 401, Seam out of reach or the drain deadline
/// cancels what is in flight.
public struct ProvisioningRun: Sendable {
    /// Wraps the run's journal (the crash-safety tests' failpoint); identity by default.
    public typealias JournalWrapper = @Sendable (any ProvisioningJournal) -> any ProvisioningJournal

    public var input: InputOptions
    public var resultsPath: String
    public var options: ProvisioningOptions
    public var operations: any SeamOperations
    /// nil runs without a state file (`--no-state`): every row is looked up in Seam.
    public var state: StateStore?
    public var stop: StopSignal
    public var format: ResultsFormat
    public var wrapJournal: JournalWrapper
    public var logger: Logger
    /// Where the run publishes its progress as rows finish (the CLI's display reads it).
    public var board: RunProgressBoard

    public init(input: InputOptions, resultsPath: String, options: ProvisioningOptions, operations: any SeamOperations,
                state: StateStore?, stop: StopSignal = StopSignal(), format: ResultsFormat = ResultsFormat(),
                wrapJournal: @escaping JournalWrapper = { $0 }, board: RunProgressBoard = RunProgressBoard(), logger: Logger) {
        self.input = input
        self.resultsPath = resultsPath
        self.options = options
        self.operations = operations
        self.state = state
        self.stop = stop
        self.format = format
        self.wrapJournal = wrapJournal
        self.board = board
        self.logger = logger
    }

    public func run() async throws -> ProvisioningReport {
        let clock = ContinuousClock()
        let started = clock.now
        let (catalog, stream) = try input.open(logger: logger)
        let inputSHA256 = FileDigest.sha256(path: input.reservationsPath)
        let runID = try await state?.beginRun(command: "provision", inputPath: input.reservationsPath, inputSHA256: inputSHA256)
        // The whole file first: a guest's stays may lie anywhere in it (see `RunBook`).
        let book = try RunBook.read(stream, catalog: catalog, state: state, options: options, now: input.now)
        let journal = wrapJournal(state.map { StateJournal(store: $0, runID: runID ?? 0) } ?? NoJournal())
        let results = ResultCollector(writer: try ResultsWriter(path: resultsPath, layout: .provisioning(instantKeys: options.instantKeys), format: format),
                                      problems: RowProblemLog(logger: logger, file: input.reservationsPath))
        let identities = IdentityDirectory(operations: operations)
        let sweep = ACSSystemSweep(operations: operations)
        let lookups = book.lookups
        await identities.expect(lookups.identities)
        await sweep.expect(lookups.users)
        var executor = RowExecutor(provisioner: Provisioner(operations: operations, identities: identities, sweep: sweep, journal: journal,
                                                            siteWait: options.confirmTimeout),
                                   journal: journal, deletionWait: options.confirmTimeout)
        executor.owesLinks = options.instantKeys
        let progress = Progress(missingLinks: RowProblemLog(logger: logger, file: input.reservationsPath))
        // Without a state file every row is looked up in Seam anyway: nothing to verify.
        progress.verification = options.verify && state != nil ? VerificationSweep(operations: operations) : nil
        progress.limit = options.adaptiveConcurrency
            ? ConcurrencyLimit(ceiling: options.concurrency, start: ConcurrencyLimit.start(rate: await operations.pace()?.rate)) : nil
        // A user the state knew before this run replaced or revoked it is no stranger either.
        let knownBefore = progress.verification == nil ? [] : Array(((try? state?.siteRecords()) ?? [:]).values)
        var window = RunWindow(options)
        if let limit = progress.limit { window.resize(to: limit.limit) }
        await waitForCreatesInFlight(state)
        // After the grace wait, so identities a killed run's creates made are in the listing.
        await identities.prefetch()

        // Pass 1: the file's rows.
        var rows = book.rows[...]
        try await drive(&window, results: results, executor: executor, progress: progress) {
            guard let row = rows.popFirst() else { return nil }
            return try await RowLogContext.$row.withValue(row.identity) {
                try await job(for: row, catalog: catalog, book: book, results: results, progress: progress)
            }
        }
        // Rows after an interruption or abort are still accounted for, one result line each.
        while let row = rows.popFirst() {
            let result = if case .ready = row.verdict { ResultRow(identity: row.identity, status: .notStarted) } else { ResultRow(validated: row) }
            try results.deliver(result, at: results.takeSequence())
        }
        publish(window, results, progress: progress)
        // Pass 2, `--sync`: what the state holds and the file lacks, through the same window.
        if let sync = book.sync, window.outcome == .completed {
            try await revokeAbsent(sync, book: book, window: &window, executor: executor, results: results, progress: progress)
        }
        // Pass 3: guests' sites whose work no row started (their stays are gone from the file,
        // over, or moved to another guest or site), without results rows of their own.
        if window.outcome == .completed {
            try await finishSites(book, window: &window, executor: executor, results: results, progress: progress)
        }
        try results.finish()
        // The finished file holds these links (or Seam's word on them): no longer owed.
        try? await journal.linksDelivered(progress.linksWritten)
        publish(window, results, progress: progress)
        var report = ProvisioningReport(summary: results.summary, outcome: window.outcome, httpCalls: progress.httpCalls,
                                        duration: clock.now - started, warnings: progress.preflight?.warnings ?? [])
        report.inputSHA256 = inputSHA256
        report.siteProblems = results.silentProblems.map { "\($0.identity.guestEmail): \($0.status.rawValue): \($0.errorMessage ?? "")" }
        report.siteFailures = results.silentProblems.filter { $0.status == .failed }.count
        report.instantKeys = options.instantKeys ? progress.instantKeys : nil
        // A state file that cannot be read back now only costs the list of strangers, not the run's record.
        if let verification = progress.verification, let records = try? state?.siteRecords() {
            report.strangers = await verification.strangers(among: knownBefore + Array(records.values))
        }
        if let state, let runID {
            try await state.finishRun(runID, outcome: report.outcome.name,
                                      counts: Dictionary(uniqueKeysWithValues: report.summary.byStatus.map { ($0.key.rawValue, $0.value) }))
        }
        return report
    }

    /// A run killed moments ago may have left a create in flight at Seam: a lookup made now could
    /// miss what lands a second later, and the row would be made twice. Such creates are announced
    /// in the state file (`pending_create`); until the newest is older than `inFlightGrace`, the
    /// run waits (a stop ends the wait). Without a state file nothing says a create is in flight.
    private func waitForCreatesInFlight(_ state: StateStore?) async {
        guard options.inFlightGrace > .zero, let newest = try? state?.newestUnresolvedCreate() else { return }
        let age = Duration.milliseconds(max(0, Timestamp.now().millisecondsSinceEpoch - newest.millisecondsSinceEpoch))
        guard age < options.inFlightGrace else { return }
        let wait = options.inFlightGrace - age
        logger.warning("a create announced \(age) ago is unresolved (an earlier run stopped); waiting \(wait) for it to land at Seam before looking it up")
        await stop.cancellingOnStop { try? await Task.sleep(for: wait) }
    }

    // MARK: The window

    /// One unit of work for the window: a result known without calling Seam, or a row to send.
    enum Job: Sendable {
        case done(ResultRow, failure: ProvisioningFailure?)
        case send(PlannedAction, ValidatedRow.Identity)
        /// A row known without a call that still owes its guest a link (`--instant-keys`).
        case link(ResultRow)
    }

    private enum TaskEvent: Sendable {
        case finished(sequence: Int, row: ResultRow, failure: ProvisioningFailure?, expectation: Expectation?, site: GuestSite?)
        /// The time asked for the next confirmation round has come (the round starts now, with
        /// the rows due by then, not those of when it was asked for).
        /// A timer asked for before and since brought forward fires for nothing.
        case confirmationDue(at: ContinuousClock.Instant)
        /// A round's verdicts; `round` is its place in the order rounds were started.
        case confirmationRound(ConfirmationRound.Outcome<Int>, calls: Int, round: Int)
        /// `adaptiveConcurrency`: time for another look at Seam's pace (every `paceLookInterval`).
        case paceLook
        /// `--instant-keys`: what Seam said when asked for a guest's link (shared by the guest's rows).
        case keyed(identityID: String, link: Result<InstantKeyLink, ProvisioningFailure>, calls: Int)
        case stopRequested
        case drainDeadlinePassed
    }

    /// Run-wide tallies that are not the window's business.
    private final class Progress {
        var httpCalls = 0
        var preflight: ListingPreflight.Report?
        /// `--verify`'s sweep; nil when not verifying.
        var verification: VerificationSweep?
        /// `--instant-keys`: links issued and refused.
        var instantKeys = InstantKeyTally()
        /// Guests whose instant key is being asked for (tasks in the group, outside the window, at
        /// most `concurrency` at once), and rows waiting their turn for one.
        var keying = 0
        var awaitingKeys: [(sequence: Int, row: ResultRow, identityID: String)] = []
        /// One link per guest per run: the answer for each guest asked, and the rows waiting on
        /// a guest's link in flight.
        var links: [String: Result<InstantKeyLink, ProvisioningFailure>] = [:]
        var linkWaiters: [String: [(sequence: Int, row: ResultRow)]] = [:]
        /// Reservations written with their link (or Seam's refusal of it) this run.
        var linksWritten: [String] = []
        /// The guest-site each parked row waits on (its confirmation is journaled there).
        var parkedSites: [Int: GuestSite] = [:]
        /// `--verify`: each site's plan once Seam was read for it.
        var verified: [GuestSite: SitePlan] = [:]
        /// Sites a sent row (or a row that failed before it was sent) answers for: pass 3 leaves
        /// them alone, so a row's failure is never worked around behind its back.
        var claimed: Set<GuestSite> = []
        /// Provisioned rows left without a link, each named in the log.
        var missingLinks: RowProblemLog

        init(missingLinks: RowProblemLog) {
            self.missingLinks = missingLinks
        }
        /// `adaptiveConcurrency`: the window's size from Seam's pace.
        var limit: ConcurrencyLimit?
        /// Rows planned without a call since the last publish (a long run of unchanged rows
        /// still moves the progress).
        var donePublished = 0
    }

    /// The sliding window: take jobs while there is room, then wait for one event and do what the
    /// window says, until the jobs are done (or the run stops taking them), nothing is in flight
    /// and no row Seam accepted still waits for the site's confirmation.
    /// `nextJob` numbers its row in `results` and returns nil when there is no more work.
    private func drive(_ window: inout RunWindow, results: ResultCollector, executor: RowExecutor, progress: Progress,
                       nextJob: () async throws -> (sequence: Int, job: Job)?) async throws {
        // Parked rows hold their place in the results: room for those behind them.
        let maxHeldBack = options.concurrency * 4 + 64 + (options.confirmTimeout > .zero ? 4096 : 0)
        let operations = operations
        let confirmation = ConfirmationRound(operations: operations)
        var queue = ConfirmationQueue(timeout: options.confirmTimeout)
        // Rounds started so far, and how many had started when an outage was last counted: a
        // round started before that count met the same outage (rounds side by side in the tail),
        // so its unreachable verdict does not count again; a round started after it does.
        var roundsStarted = 0
        var outageCountedAt = 0
        try await withThrowingTaskGroup(of: TaskEvent.self) { group in
            group.addTask { [stop] in
                await stop.wait()
                return .stopRequested
            }
            if progress.limit != nil { group.addTask { await Self.paceLook() } }
            var exhausted = false
            while true {
                while !exhausted, window.hasRoom, !stop.isRequested, results.heldBack < maxHeldBack {
                    guard let (sequence, job) = try await nextJob() else {
                        exhausted = true
                        break
                    }
                    switch job {
                    case .done(let row, let failure):
                        try results.deliver(row, at: sequence)
                        if let failure { perform(window.handle(.rowFailedUnsent(RunWindow.Failure(failure))), in: &group) }
                        progress.donePublished += 1
                        if progress.donePublished >= 1024 { publish(window, results, progress: progress) }
                    case .link(let row):
                        try handOver(row, at: sequence, stopping: window.outcome.stopsEverything, results: results, progress: progress, in: &group)
                    case .send(let action, let identity):
                        window.rowStarted()
                        group.addTask {
                            let (row, failure, expectation, site) = await RowLogContext.$row.withValue(identity) {
                                await Self.execute(action, identity, executor, operations)
                            }
                            return .finished(sequence: sequence, row: row, failure: failure, expectation: expectation, site: site)
                        }
                    }
                }
                // The next confirmation round's timer, if it needs one sooner. Rounds are spaced
                // while rows are in flight (they share the rate), not once none is: the tail of
                // the run, an abort, a reorder buffer full of parked rows.
                if !Task.isCancelled, let next = queue.timerToArm(sending: !window.isIdle, inTail: exhausted && window.isIdle) {
                    group.addTask {
                        try? await Task.sleep(until: next)
                        return .confirmationDue(at: next)
                    }
                }
                if window.isIdle && queue.isEmpty && progress.keying == 0 && progress.awaitingKeys.isEmpty { break }
                guard let event = try await group.next() else { break }
                switch event {
                case .finished(let sequence, let row, let failure, let expectation, let site):
                    progress.httpCalls += row.httpCalls
                    perform(window.handle(.rowFinished(failure.map(RunWindow.Failure.init))), in: &group)
                    if let expectation, let site, failure == nil {
                        progress.parkedSites[sequence] = site
                        queue.park(row, at: sequence, expectation: expectation, now: .now)
                    } else {
                        try handOver(row, at: sequence, stopping: window.outcome.stopsEverything, results: results, progress: progress, in: &group)
                        try results.flush()
                    }
                case .confirmationDue(let instant):
                    guard let expectations = queue.timerFired(at: instant, now: .now, inTail: exhausted && window.isIdle) else { continue }
                    let round = roundsStarted
                    roundsStarted += 1
                    group.addTask {
                        let (outcome, calls) = await operations.measuringCalls { await confirmation.check(expectations) }
                        return .confirmationRound(outcome, calls: calls, round: round)
                    }
                case .confirmationRound(let outcome, let calls, let round):
                    progress.httpCalls += calls
                    let rate = await operations.pace()?.rate
                    for (sequence, row) in try await settle(queue.apply(outcome.verdicts, calls: calls, rate: rate, now: .now),
                                                            journal: executor.journal, progress: progress) {
                        try handOver(row, at: sequence, stopping: window.outcome.stopsEverything, results: results, progress: progress, in: &group)
                    }
                    try results.flush()
                    if let message = outcome.unauthorized {
                        perform(window.handle(.rowFailedUnsent(.unauthorized(message: message))), in: &group)
                    } else if let message = outcome.unreachable, round >= outageCountedAt {
                        outageCountedAt = roundsStarted
                        perform(window.handle(.confirmationUnreachable(message: message)), in: &group)
                    }
                case .keyed(let identityID, let link, let calls):
                    progress.keying -= 1
                    progress.httpCalls += calls
                    progress.links[identityID] = link
                    for (index, (sequence, row)) in (progress.linkWaiters.removeValue(forKey: identityID) ?? []).enumerated() {
                        try deliver(row, at: sequence, link: link, calls: index == 0 ? calls : 0, results: results, progress: progress)
                    }
                    startKeys(progress, results: results, stopping: window.outcome.stopsEverything, in: &group)
                    try results.flush()
                    if case .failure(let failure) = link, failure.isUnauthorized {
                        perform(window.handle(.rowFailedUnsent(.unauthorized(message: failure.message))), in: &group)
                    }
                case .paceLook:
                    await adapt(&window, progress)
                    // Only while rows may still start: a stopping run's window never grows again
                    // (and a cancelled group's timer would fire at once, over and over).
                    if window.acceptsRows && !exhausted && !Task.isCancelled { group.addTask { await Self.paceLook() } }
                case .stopRequested:
                    // The watcher also returns when it is cancelled (at a 401): only a real stop counts.
                    guard stop.isRequested else { continue }
                    if !window.isDraining {
                        logger.warning("stopping: no new rows; waiting up to \(options.drainDeadline) for \(window.inFlight + progress.keying) rows in flight")
                    }
                    perform(window.handle(.stopRequested), in: &group)
                case .drainDeadlinePassed:
                    let inFlight = window.inFlight + progress.keying
                    let action = window.handle(.drainDeadlinePassed)
                    if action == .cancelInFlight || progress.keying > 0 {
                        logger.warning("drain deadline passed: cancelling \(inFlight) rows in flight")
                        // Instant-key calls are outside the window: the deadline ends them too.
                        group.cancelAll()
                    }
                }
                publish(window, results, progress: progress, awaitingSite: queue.count)
                // Stopping (a signal, a 401): rows waiting for the site are not waited for; the
                // next run re-checks them. An abort (--max-failures) still confirms what was done.
                // (A cancelled run, which the CLI never does, is treated as stopping.)
                if stop.isRequested || window.outcome.stopsEverything || Task.isCancelled {
                    if !queue.isEmpty {
                        for (sequence, row) in try await settle(queue.releaseAll(), journal: executor.journal, progress: progress) {
                            try handOver(row, at: sequence, stopping: true, results: results, progress: progress, in: &group)
                        }
                    }
                    // Rows still waiting their turn for a link get none: the run is stopping.
                    let waiting = progress.awaitingKeys
                    progress.awaitingKeys = []
                    for (sequence, row, _) in waiting { try deliverUnlinked(row, at: sequence, results: results, progress: progress) }
                    try results.flush()
                }
            }
            group.cancelAll()
        }
        // A stop whose watcher event was not taken before the window went idle: nothing is in
        // flight, so there is no drain to start, but the run is interrupted all the same.
        if stop.isRequested { window.markInterrupted() }
    }

    /// Journals what the confirmation queue released (a confirmed row stops awaiting, a refused
    /// one is marked for retry) and returns the rows, to be handed over in their places.
    private func settle(_ releases: [ConfirmationQueue.Release], journal: any ProvisioningJournal, progress: Progress) async throws -> [(Int, ResultRow)] {
        var rows: [(Int, ResultRow)] = []
        for release in releases {
            let (sequence, row) = switch release {
            case .confirmed(let sequence, let row, let forget):
                (sequence, await Self.journaled(row, site: progress.parkedSites[sequence]) { site, _ in
                    try await journal.confirmed(site: site, forgetACSUser: forget)
                })
            case .refused(let sequence, let row, let issue):
                (sequence, await Self.journaled(row, site: progress.parkedSites[sequence]) { site, id in
                    try await journal.refused(site: site, issue: issue)
                    try await journal.fail(reservationID: id, error: "\(issue.code): \(issue.message)")
                })
            case .pending(let sequence, let row):
                // The journal already says what is awaited.
                (sequence, row)
            }
            progress.parkedSites[sequence] = nil
            rows.append((sequence, row))
        }
        return rows
    }

    /// A sent row's result: written now or, with `--instant-keys` and a row provisioned in this
    /// run, first given its guest's link (one per guest per run, shared by the guest's rows:
    /// `startKeys`). A run that is stopping asks for no link; the summary counts those rows, and
    /// the log names each.
    private func handOver(_ row: ResultRow, at sequence: Int, stopping: Bool, results: ResultCollector, progress: Progress,
                          in group: inout ThrowingTaskGroup<TaskEvent, any Error>) throws {
        guard options.instantKeys, InstantKeyTally.wants(row), !results.isSilent(sequence), let identityID = row.userIdentityID else {
            if results.isSilent(sequence), row.status == .failed || row.status == .pending {
                logger.warning("guest \(row.identity.guestEmail): \(row.status.rawValue): \(row.errorMessage ?? "")")
            }
            return try results.deliver(row, at: sequence)
        }
        if let link = progress.links[identityID] { return try deliver(row, at: sequence, link: link, calls: 0, results: results, progress: progress) }
        if progress.linkWaiters[identityID] != nil { return progress.linkWaiters[identityID]?.append((sequence, row)) ?? () }
        guard !stopping, !stop.isRequested else { return try deliverUnlinked(row, at: sequence, results: results, progress: progress) }
        progress.awaitingKeys.append((sequence, row, identityID))
        startKeys(progress, results: results, stopping: stopping, in: &group)
    }

    /// Asks for the links of waiting guests, at most `concurrency` at once: each in a task of its
    /// own, outside the window (the row's key is made; a slow answer must not keep the next row
    /// from starting), and never more calls at once than rows the operator allowed in flight.
    /// A stopping run starts none (the loop writes the waiting rows without links).
    private func startKeys(_ progress: Progress, results: ResultCollector, stopping: Bool, in group: inout ThrowingTaskGroup<TaskEvent, any Error>) {
        guard !stopping, !stop.isRequested else { return }
        let operations = operations
        while progress.keying < options.concurrency, !progress.awaitingKeys.isEmpty {
            let (sequence, row, identityID) = progress.awaitingKeys.removeFirst()
            guard progress.linkWaiters[identityID] == nil else {
                progress.linkWaiters[identityID]?.append((sequence, row))
                continue
            }
            progress.linkWaiters[identityID] = [(sequence, row)]
            progress.keying += 1
            group.addTask {
                let (link, calls) = await RowLogContext.$row.withValue(row.identity) {
                    await operations.measuringCalls { () async -> Result<InstantKeyLink, ProvisioningFailure> in
                        do {
                            return .success(try await operations.generateInstantKey(userIdentityID: identityID))
                        } catch {
                            return .failure(ProvisioningFailure(step: .instantKey, error: error, context: "instant key", progress: ProvisionedKeys()))
                        }
                    }
                }
                return .keyed(identityID: identityID, link: link, calls: calls)
            }
        }
    }

    /// A row written with its guest's link (or the reason it has none).
    private func deliver(_ row: ResultRow, at sequence: Int, link: Result<InstantKeyLink, ProvisioningFailure>, calls: Int,
                         results: ResultCollector, progress: Progress) throws {
        var row = row
        row.httpCalls += calls
        switch link {
        case .success(let key):
            row.instantKeyURL = key.url
            row.instantKeyExpiresAt = key.expiresAt
        case .failure(let failure):
            logMissingLink(row, failure, progress: progress)
            // The row never hides a missing link: its key is in place, the link is not.
            row.errorMessage = row.errorMessage ?? "no instant key: \(failure.message)"
        }
        progress.instantKeys.record(link, reservationID: row.identity.reservationID)
        if case .failure(let failure) = link, failure.code == .run(.interrupted) {} else { progress.linksWritten.append(row.identity.reservationID) }
        try results.deliver(row, at: sequence)
    }

    /// A provisioned row written without asking for its link (the run is stopping).
    private func deliverUnlinked(_ row: ResultRow, at sequence: Int, results: ResultCollector, progress: Progress) throws {
        let failure = ProvisioningFailure(step: .instantKey, code: .run(.interrupted), message: "not asked: the run stopped first",
                                          progress: ProvisionedKeys())
        logMissingLink(row, failure, progress: progress)
        progress.instantKeys.record(.failure(failure), reservationID: row.identity.reservationID)
        var row = row
        row.errorMessage = row.errorMessage ?? "no instant key: \(failure.message)"
        try results.deliver(row, at: sequence)
    }

    /// Each guest left without a link is named in the log (the summary shows only the first few
    /// per reason), through a `RowProblemLog` of their own: the first `RowProblemLog.limit` at
    /// warning, the rest at debug.
    private func logMissingLink(_ row: ResultRow, _ failure: ProvisioningFailure, progress: Progress) {
        progress.missingLinks.note(row.identity, code: failure.code, seamRequestID: failure.seamRequestID,
                                   "no instant key for \(row.identity.reservationID) (its key is in place; issue a link by hand): \(failure.message)")
    }

    /// The row after its journal write on its site; a failed write fails the row (the state still
    /// says it awaits).
    private static func journaled(_ row: ResultRow, site: GuestSite?, _ write: (GuestSite, String) async throws -> Void) async -> ResultRow {
        do {
            if let site { try await write(site, row.identity.reservationID) }
            return row
        } catch {
            var failed = row
            failed.status = .failed
            failed.errorCode = .run(.stateWriteFailed)
            failed.errorMessage = "cannot write the state file: \(error)"
            return failed
        }
    }

    private func perform(_ action: RunWindow.Action, in group: inout ThrowingTaskGroup<TaskEvent, any Error>) {
        switch action {
        case .none:
            break
        case .cancelInFlight:
            group.cancelAll()
        case .startDrainTimer(let deadline):
            group.addTask {
                try? await Task.sleep(for: deadline)
                return .drainDeadlinePassed
            }
        }
    }

    // MARK: Pass 1: the file

    /// Plans one row: a result to write now, or an action to send.
    private func job(for row: ValidatedRow, catalog: ListingCatalog, book: RunBook, results: ResultCollector,
                     progress: Progress) async throws -> (sequence: Int, job: Job) {
        let sequence = results.takeSequence()
        var action = book.decide(row, catalog: catalog)
        if progress.verification != nil, let reservation = row.reservation, let entry = book.book.entries[reservation.reservationID],
           let listing = catalog[reservation.listingID], !action.sends, entry.role.isVerified {
            switch await verified(entry.site, book: book, progress: progress) {
            case .success(let plan?):
                action = .site(reservationID: reservation.reservationID, [plan], entry.role, Stay(reservation, at: listing))
            case .success(nil):
                break
            case .failure(let failure):
                if stop.isRequested { return (sequence, .done(ResultRow(identity: row.identity, status: .notStarted), failure: nil)) }
                return (sequence, .done(Self.failedRow(row.identity, action: action, failure, calls: 0), failure: failure))
            }
        }
        guard case .none(let status) = action else {
            if let entry = row.reservation.flatMap({ book.book.entries[$0.reservationID] }) { progress.claimed.formUnion(entry.sites) }
            let listing = row.reservation.flatMap { catalog[$0.listingID] }
            if action.sends, let problem = await listingProblem(for: listing, action: action, catalog: catalog, progress: progress) {
                // A stop cut the check short: the row was never sent.
                if stop.isRequested { return (sequence, .done(ResultRow(identity: row.identity, status: .notStarted), failure: nil)) }
                return (sequence, .done(Self.failedRow(row.identity, action: action, problem, calls: 0), failure: problem))
            }
            return (sequence, .send(action, row.identity))
        }
        var result = ResultRow(validated: row)
        result.action = action.kind
        if status == .unchanged || status == .deferred, let reservation = row.reservation {
            result = Self.row(row.identity, status: status, action: action, keys: book.keys(of: reservation.reservationID), calls: 0)
            result.errorMessage = action.note ?? book.book.entries[reservation.reservationID]?.role.note
            if options.instantKeys, status == .unchanged, book.records[reservation.reservationID]?.linkOwed == true {
                // An earlier run's link never reached a finished results file: asked again.
                result.owesLink = true
                return (sequence, .link(result))
            }
        }
        return (sequence, .done(result, failure: nil))
    }

    /// `--verify`: the site's plan once Seam was read for it (one sweep per system; each site once
    /// per run), a repair when Seam drifted, nil when it did not (or the state knows no user there).
    private func verified(_ site: GuestSite, book: RunBook, progress: Progress) async -> Result<SitePlan?, ProvisioningFailure> {
        guard let verification = progress.verification, let plan = book.book.plans[site], plan.action == .none,
              let record = plan.record else { return .success(nil) }
        if let done = progress.verified[site] { return .success(done.sends ? done : nil) }
        // The sweep reads a whole system for every row after this one: no row's context.
        let (result, calls) = await RowLogContext.$row.withValue(nil) {
            await operations.measuringCalls { await stop.cancellingOnStop { await verification.observe(record) } }
        }
        progress.httpCalls += calls
        switch result {
        case .success(let seen):
            let repaired = SitePlanner(hasState: true, cleanupExpired: options.cleanupExpired, joinGap: options.joinGap, now: input.now)
                .repair(plan, seam: seen)
            progress.verified[site] = repaired ?? plan
            return .success(repaired)
        case .failure(let failure):
            return .failure(failure)
        }
    }

    /// How often the adaptive window looks at Seam's pace: on a timer, not as rows finish, so
    /// the window grows within the first second of a run whose rows take seconds each.
    static let paceLookInterval: Duration = .milliseconds(250)

    private static func paceLook() async -> TaskEvent {
        try? await Task.sleep(for: paceLookInterval)
        return .paceLook
    }

    /// Resizes the window to the pace Seam shows.
    private func adapt(_ window: inout RunWindow, _ progress: Progress) async {
        guard var limit = progress.limit, let pace = await operations.pace() else { return }
        window.resize(to: limit.observe(rate: pace.rate, timing: pace.timing))
        progress.limit = limit
    }

    /// Publishes where the run is, for the display (which reads it on its own schedule).
    private func publish(_ window: RunWindow, _ results: ResultCollector, progress: Progress, awaitingSite: Int = 0) {
        let summary = results.summary
        let linking = progress.keying + progress.awaitingKeys.count
        progress.donePublished = 0
        board.update {
            $0.rowsWritten = summary.rows
            $0.byStatus = summary.byStatus
            $0.inFlight = window.inFlight
            $0.awaitingSite = awaitingSite
            $0.awaitingLinks = linking
        }
    }

    /// Checks every listing against Seam the first time a row needs a call, not before, so a
    /// rerun with nothing to do makes no call at all.
    /// A re-check (`confirm`) sends nothing, so it needs no check.
    private func listingProblem(for listing: Listing?, action: PlannedAction, catalog: ListingCatalog, progress: Progress) async -> ProvisioningFailure? {
        if action.kind == .confirm { return nil }
        if progress.preflight == nil {
            let operations = operations
            // The listing check is every row's: no row's context.
            let (result, calls) = await RowLogContext.$row.withValue(nil) {
                await operations.measuringCalls { await stop.cancellingOnStop { await Self.checkListings(catalog, operations) } }
            }
            progress.httpCalls += calls
            switch result {
            case .success(let report):
                progress.preflight = report  // its warnings go to the summary
            case .failure(let failure):
                // Not remembered: the next row that needs Seam checks again, so a passing fault
                // never lets a mistyped listing through. A check that could not even connect, or
                // that no attempt got an answer to (`isUnreachable`, `isUnanswered`, after the
                // client's retries: a refused port or a silent Seam), stops the run instead of
                // letting every row wait out the same timeouts.
                return failure
            }
        }
        guard let listing else { return nil }
        return progress.preflight?.problem(for: listing, action: action)
    }

    private static func checkListings(_ catalog: ListingCatalog, _ operations: any SeamOperations) async -> Result<ListingPreflight.Report, ProvisioningFailure> {
        do {
            return .success(try await ListingPreflight.check(catalog, operations: operations))
        } catch {
            return .failure(error)
        }
    }

    // MARK: Pass 2: `--sync`

    /// Revokes what the state holds and the file no longer lists, unless that is more than the
    /// guard allows, in which case nothing is revoked and the run is aborted. A dropped stay's
    /// guest-site was planned without it from the start (`RunBook`), so its work may already be
    /// done by the file's rows; its row waits on that work like theirs.
    private func revokeAbsent(_ sync: SyncRevocations, book: RunBook, window: inout RunWindow, executor: RowExecutor,
                              results: ResultCollector, progress: Progress) async throws {
        if let blocked = sync.blockedReason {
            window.abort(reason: blocked)
            return
        }
        board.update { $0.revoking = true }
        var remaining = book.book.dropped[...]
        try await drive(&window, results: results, executor: executor, progress: progress) {
            guard let record = remaining.popFirst() else { return nil }
            let action = book.planner.decide(dropped: record)
            if let entry = book.book.entries[record.reservationID] { progress.claimed.formUnion(entry.sites) }
            let sequence = results.takeSequence()
            guard action.sends || action.reservationID != nil else {
                return (sequence, .done(Self.row(record.identity, status: action.successStatus, action: action, keys: book.keys(of: record.reservationID), calls: 0), failure: nil))
            }
            return (sequence, .send(action, record.identity))
        }
        // Revocations not started are still reported, once each.
        for record in remaining {
            let action = book.planner.decide(dropped: record)
            var row = Self.row(record.identity, status: .notStarted, action: action, keys: book.keys(of: record.reservationID), calls: 0)
            row.errorMessage = "not revoked: the run stopped first"
            try results.deliver(row, at: results.takeSequence())
        }
    }

    // MARK: Pass 3: sites no row started

    private func finishSites(_ book: RunBook, window: inout RunWindow, executor: RowExecutor, results: ResultCollector, progress: Progress) async throws {
        let started = await executor.sites.started
        var leftover = book.book.plans.values.filter { $0.sends && !started.contains($0.site) && !progress.claimed.contains($0.site) }
            .sorted { $0.site < $1.site }[...]
        guard !leftover.isEmpty else { return }
        logger.info("\(leftover.count) guest sites that no row of the file holds any more: finishing their work")
        try await drive(&window, results: results, executor: executor, progress: progress) {
            guard let plan = leftover.popFirst() else { return nil }
            let identity = ValidatedRow.Identity(line: 0, reservationID: "", guestEmail: plan.site.guestEmail, listingID: "")
            return (results.takeSilentSequence(), .send(.siteOnly(plan), identity))
        }
    }

    // MARK: Rows

    private static func execute(_ action: PlannedAction, _ identity: ValidatedRow.Identity, _ executor: RowExecutor,
                                _ operations: any SeamOperations) async -> (ResultRow, ProvisioningFailure?, Expectation?, GuestSite?) {
        let (outcome, calls) = await operations.measuringCalls { await executor.execute(action) }
        if let failure = outcome.failure {
            return (failedRow(identity, action: action, failure, calls: calls), failure, nil, nil)
        }
        var result = row(identity, status: outcome.status, action: action, keys: outcome.keys, calls: calls)
        result.errorMessage = outcome.note ?? action.note
        result.seamWarnings = outcome.warnings
        return (result, nil, outcome.expectation, outcome.site)
    }

    static func row(_ identity: ValidatedRow.Identity, status: ResultStatus, action: PlannedAction, keys: ProvisionedKeys, calls: Int) -> ResultRow {
        var row = ResultRow(identity: identity, status: status, userIdentityID: keys.userIdentityID, acsUserID: keys.acsUserID,
                            acsCredentialID: keys.acsCredentialID, accessGroupIDs: keys.accessGroupIDs, httpCalls: calls)
        row.action = action.kind
        return row
    }

    static func failedRow(_ identity: ValidatedRow.Identity, action: PlannedAction, _ failure: ProvisioningFailure, calls: Int) -> ResultRow {
        var row = Self.row(identity, status: .failed, action: action, keys: failure.progress, calls: calls)
        row.errorCode = failure.code
        row.errorMessage = failure.message
        row.seamRequestID = failure.seamRequestID
        return row
    }
}
