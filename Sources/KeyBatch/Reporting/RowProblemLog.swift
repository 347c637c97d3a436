import Logging

/// Logs the rows that did not make it (invalid or failed), in input order, as their results are
/// written: the first `limit` at `warning`, the rest at `debug`, so a file of ten thousand stale
/// rows does not bury the night's one real failure, while `--log-level debug` (or a log shipper
/// that keeps everything) still sees every row. Each line carries the row's `line` and
/// `reservation_id`, and a Seam failure its `seam-request-id` for Seam's support.
struct RowProblemLog {
    /// As many as `validate` shows: the first screenful says what is wrong with a file.
    static let limit = ValidationRun.loggedErrorLimit

    let logger: Logger
    let file: String
    private(set) var logged = 0
    private(set) var beyondLimit = 0

    init(logger: Logger, file: String) {
        self.logger = logger
        self.file = file
    }

    mutating func record(_ row: ResultRow) {
        guard row.status == .invalid || row.status == .failed else { return }
        var metadata = RowLogContext.metadata(of: row.identity)
        if let code = row.errorCode { metadata["error_code"] = .string(code.rawValue) }
        if let requestID = row.seamRequestID { metadata["seam-request-id"] = .string(requestID) }
        let location = row.identity.line > 0 ? "\(file):\(row.identity.line)" : "revocation of \(row.identity.reservationID)"
        let message: Logger.Message = "\(location): \(row.status.rawValue): \(row.errorMessage ?? row.errorCode?.rawValue ?? "")"
        if logged < Self.limit {
            logged += 1
            logger.warning(message, metadata: metadata)
        } else {
            beyondLimit += 1
            logger.debug(message, metadata: metadata)
        }
    }

    /// The closing line when rows were logged at `debug` only.
    func finish() {
        guard beyondLimit > 0 else { return }
        logger.warning("… \(beyondLimit) more invalid or failed rows in the results file (all of them at --log-level debug)")
    }
}
