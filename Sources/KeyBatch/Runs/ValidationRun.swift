import Logging

/// `keybatch validate`: reads every row, judges it, writes one result line per row, and counts.
public enum ValidationRun {
    /// How many row errors are echoed to the log before the rest go only to the results file.
    public static let loggedErrorLimit = RowProblemLog.limit

    public static func run(_ input: InputOptions, resultsPath: String?, format: ResultsFormat = ResultsFormat(),
                           logger: Logger) throws -> RunSummary {
        // Parsing runs on a second core, a few batches ahead of judging and writing.
        let (_, stream) = try input.open(logger: logger, pipelined: true)
        let writer = try resultsPath.map { try ResultsWriter(path: $0, layout: .validation, format: format) }
        var summary = RunSummary()
        // Valid and expired rows (nearly all of them) are counted, and written from the bytes read
        // inside the reader's loan; the counts go to the summary at the end (a dictionary update
        // and a `ResultRow` per row cost more than the check). An invalid row is kept as strings,
        // for its message and the log. The closures hand back nothing, so no row value is copied
        // out of the loan.
        var validRows = 0
        var expiredRows = 0
        var logged = 0
        var invalid: ValidatedRow?
        while try stream.nextJudged({ row in
            switch row.kind {
            case .ready: validRows += 1
            case .expired: expiredRows += 1
            case .invalid: invalid = row.validatedRow; return
            }
            try writer?.write(row)
        }, unreadable: { invalid = $0 }) != nil {
            guard let row = invalid, case .invalid(let errors) = row.verdict else { continue }
            invalid = nil
            let result = ResultRow(validated: row)
            summary.record(result, errors: errors)
            for error in errors where logged < loggedErrorLimit {
                logger.error("\(error.rendered(file: input.reservationsPath, line: row.identity.line))")
                logged += 1
            }
            try writer?.write(result)
        }
        summary.record(.valid, count: validRows)
        summary.record(.expired, count: expiredRows)
        if logged == loggedErrorLimit, summary.errorsByCode.values.reduce(0, +) > logged {
            logger.error("… more errors in the results file")
        }
        try writer?.finish()
        return summary
    }
}
