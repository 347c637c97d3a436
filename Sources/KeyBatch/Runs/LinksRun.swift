import CSV
import Logging

/// `keybatch links`: a provision results file copied to a new one, row for row and in order, with
/// an instant key link (`user_identities/generate_instant_key`) for every guest who holds a key
/// and whose rows have none: those provisioned without `--instant-keys`, refused a link, or (with
/// `all`) whose link expired or was used. Issue: a way to give links to rows that lack one.
///
/// Streamed: the file is read a row at a time and rows leave as soon as their guest's answer and
/// every row before them are in (`LinkQueue`), reading ahead at most `readAhead` rows. One request
/// per user identity per run (the link opens every key of the identity, so its rows share it), at
/// most `concurrency` at once, through the session's rate limiter; the client retries a passing
/// failure like an update (asking twice is harmless: at worst an unused link exists). A refused
/// link leaves the row's status and link columns alone and says why in `error_message`. A 401, or
/// a Seam that cannot be reached or never answers, stops the asking (no other guest would fare
/// better), as does a stop signal; the rest of the file is still copied, so the links already
/// made reach the file, and a later run asks for the rest.
///
/// Links are secrets (whoever holds one opens the guest's doors): they go to the output file,
/// written 0600 whatever mode an earlier file had, and never to the log, which names rows by
/// reservation id and line only.
public struct LinksRun: Sendable {
    /// The results file read (`-` for standard input).
    public var inputPath: String
    /// The file written (`-` for standard output).
    public var outputPath: String
    /// Ask also for rows that already have a link.
    public var all: Bool
    public var concurrency: Int
    /// Line ending of the output, and whether the values `links` writes itself are guarded
    /// against formulas (the file's own values are copied as they are).
    public var format: ResultsFormat
    public var operations: any SeamOperations
    public var stop: StopSignal
    public var logger: Logger

    /// Rows held between reading and writing at most: bounds memory when the link at the head
    /// of the file is slow, while leaving the requests behind it plenty of rows to come from.
    static let readAhead = 4096

    public init(inputPath: String, outputPath: String, all: Bool = false, concurrency: Int = 128, format: ResultsFormat = ResultsFormat(),
                operations: any SeamOperations, stop: StopSignal = StopSignal(), logger: Logger) {
        self.inputPath = inputPath
        self.outputPath = outputPath
        self.all = all
        self.concurrency = max(1, concurrency)
        self.format = format
        self.operations = operations
        self.stop = stop
        self.logger = logger
    }

    public struct Report: Sendable {
        /// Lines of the file after the header, readable or not.
        public var rows = 0
        /// Rows given a link (`issued`) and rows Seam refused one, by error code.
        public var links = InstantKeyTally()
        /// Links Seam made: one per guest given one.
        public var linksIssued = 0
        /// Rows that asked for no link (no key held, no identity, or a link already there).
        public var skipped = 0
        /// Lines that did not read as records (wrong field count, malformed quoting, bad UTF-8):
        /// copied as recovered, without a link.
        public var unreadable = 0
        /// Rows that wanted a link the run stopped before asking for: copied as they were.
        public var notAsked = 0
        public var httpCalls = 0
        /// `completed`, `interrupted` (a stop signal), `unauthorized` or `unreachable`.
        public var outcome = RunOutcome.completed
    }

    private enum Event: Sendable {
        case answered(identity: String, Result<InstantKeyLink, ProvisioningFailure>, calls: Int)
        case stopRequested
    }

    /// Reads the file, asks Seam, writes the new file.
    /// - Throws: `InputFileError` (the file cannot be read, or lacks a required column: nothing is
    ///   written) or `OutputFileError`; never for a row.
    public func run() async throws -> Report {
        let reader = try InputFileError.catching { () throws(CSVFileError) in try CSVReader(path: inputPath) }
        let columns = try Self.columns(of: reader)
        // The file's values are copied exactly: the guard is applied by `LinkColumns` to the
        // values this run writes itself, never a second time to what provision wrote.
        let writer = try ResultsWriter(path: outputPath, layout: .links(columns: columns.header),
                                       format: ResultsFormat(lineEnding: format.lineEnding, neutraliseFormulas: false))
        var report = Report()
        var queue = LinkQueue()
        var problems = RowProblemLog(logger: logger, file: inputPath)
        var reading = true
        /// The first row of each guest not asked for yet.
        var askers: [String: ValidatedRow.Identity] = [:]
        let operations = operations
        let stop = stop

        try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask {
                await stop.wait()
                return .stopRequested
            }
            while true {
                if stop.isRequested, !queue.isStopped {
                    logger.warning("signal received: asking for no more links; the rest of the file is copied as it is")
                    report.outcome = .interrupted
                    queue.stop()
                    // A link cut short is at worst one Seam made and nobody holds: harmless.
                    group.cancelAll()
                }
                while reading, queue.held < Self.readAhead {
                    guard let row = try next(from: reader, columns: columns, report: &report) else {
                        reading = false
                        break
                    }
                    if let identity = row.identity, queue.asksFor(identity) {
                        askers[identity] = ValidatedRow.Identity(line: row.line, reservationID: columns.reservation(of: row.fields),
                                                                 guestEmail: "", listingID: "")
                    }
                    queue.add(row)
                }
                while let identity = queue.nextToAsk(limit: concurrency) {
                    // The request's log lines (its calls and retries) name the guest's first row.
                    let asker = askers.removeValue(forKey: identity)
                    group.addTask { await RowLogContext.$row.withValue(asker) { await Self.ask(identity, operations: operations) } }
                }
                for release in queue.release() {
                    try writer.write(fields: written(release, columns: columns, report: &report, problems: &problems))
                }
                if queue.isEmpty && !reading { break }
                // Rows are held only while their guest's request is in flight (the others have
                // left above, or leave on the next turn once read).
                guard !queue.asking.isEmpty, let event = try await group.next() else { continue }
                // A stop is seen at the top of the loop.
                guard case .answered(let identity, let answer, let calls) = event else { continue }
                report.httpCalls += calls
                let wasStopped = queue.isStopped
                queue.answered(identity, kept(answer, report: &report, queue: &queue))
                if queue.isStopped && !wasStopped { group.cancelAll() }
            }
            group.cancelAll()
        }
        try writer.finish()
        report.linksIssued = queue.linksIssued
        if problems.beyondLimit > 0 {
            logger.warning("… \(problems.beyondLimit) more rows without a link (all of them at --log-level debug)")
        }
        return report
    }

    /// The file's header as `LinkColumns`.
    private static func columns(of reader: CSVReader) throws -> LinkColumns {
        let next = try InputFileError.catching { () throws(CSVFileError) in try reader.next() }
        try InputFileError.refuseForeignEncoding(of: reader)
        switch next {
        case nil:
            throw InputFileError(file: reader.path, line: nil, column: nil,
                                 reason: "the file is empty; expected a results file of keybatch provision with \(LinkColumns.required.joined(separator: ", "))")
        case .failure(let issue):
            throw InputFileError(file: reader.path, line: issue.line, column: issue.column, reason: "the header row is unreadable: \(issue.message)")
        case .success(let record):
            return try LinkColumns(header: record.fields, file: reader.path, line: record.line, splitBy: reader)
        }
    }

    /// The next line as a queue row, or nil at the end of the file. A line that does not read is
    /// reported (file, line, column, reason) and copied as far as it could be recovered.
    private func next(from reader: CSVReader, columns: LinkColumns, report: inout Report) throws -> LinkQueue.Row? {
        guard let next = try InputFileError.catching({ () throws(CSVFileError) in try reader.next() }) else { return nil }
        report.rows += 1
        switch next {
        case .success(let record):
            return LinkQueue.Row(line: record.line, fields: record.fields, identity: columns.identityWanting(record.fields, all: all))
        case .failure(let issue):
            report.unreadable += 1
            let location = "\(inputPath):\(issue.line)" + (issue.column.map { ":\($0)" } ?? "")
            logger.error("\(location): \(issue.kind.rawValue): \(issue.message); copied as read, no link asked")
            return LinkQueue.Row(line: issue.line, fields: issue.recoveredFields, identity: nil, unreadable: true)
        }
    }

    /// One guest's link, in a task of its own. The call is retried by the client like an update.
    private static func ask(_ identity: String, operations: any SeamOperations) async -> Event {
        let (answer, calls) = await operations.measuringCalls { () async -> Result<InstantKeyLink, ProvisioningFailure> in
            do {
                return .success(try await operations.generateInstantKey(userIdentityID: identity))
            } catch {
                var failure = ProvisioningFailure(step: .instantKey, error: error, context: "instant key", progress: ProvisionedKeys())
                // The row's note names the code itself, then Seam's own sentence (the request id
                // goes to the log).
                if let reason = (error as? SeamOperationError)?.reason { failure.message = reason }
                return .failure(failure)
            }
        }
        return .answered(identity: identity, answer, calls: calls)
    }

    /// The answer to keep for a guest, or nil when it says nothing of the guest: a 401 or a Seam
    /// out of reach (the run stops asking: every other request would fail the same way), or any
    /// failure once the run is stopping (a request the stop cut short). A link Seam made is
    /// always kept, even while stopping.
    private func kept(_ answer: Result<InstantKeyLink, ProvisioningFailure>, report: inout Report,
                      queue: inout LinkQueue) -> Result<InstantKeyLink, ProvisioningFailure>? {
        guard case .failure(let failure) = answer else { return answer }
        if queue.isStopped { return nil }
        if failure.isUnauthorized || failure.isUnreachable || failure.isUnanswered {
            report.outcome = failure.isUnauthorized ? .unauthorized(message: failure.message) : .unreachable(message: failure.message)
            logger.error("\(failure.isUnauthorized ? "Seam refused the API key" : "Seam could not be reached"): \(failure.code.rawValue): \(failure.message); asking for no more links")
            queue.stop()
            return nil
        }
        return answer
    }

    /// A released row's line as written, counted in the report.
    private func written(_ release: LinkQueue.Release, columns: LinkColumns, report: inout Report,
                         problems: inout RowProblemLog) -> [String] {
        let row = release.row
        if row.unreadable { return row.fields }
        guard row.identity != nil else {
            report.skipped += 1
            return columns.padded(row.fields)
        }
        let reservationID = columns.reservation(of: row.fields)
        switch release.answer {
        case nil:
            report.notAsked += 1
            return columns.padded(row.fields)
        case .success(let link)?:
            report.links.record(.success(link), reservationID: reservationID)
            return columns.linked(row.fields, link, guarding: format.neutraliseFormulas)
        case .failure(let failure)?:
            report.links.record(.failure(failure), reservationID: reservationID)
            let identity = ValidatedRow.Identity(line: row.line, reservationID: reservationID, guestEmail: "", listingID: "")
            problems.note(identity, code: failure.code, seamRequestID: failure.seamRequestID,
                          "\(inputPath):\(row.line): no instant key for \(reservationID): \(failure.code.rawValue): \(failure.message)")
            return columns.refused(row.fields, note: "\(LinkColumns.notePrefix)\(failure.code.rawValue): \(failure.message)",
                                   guarding: format.neutraliseFormulas)
        }
    }
}
