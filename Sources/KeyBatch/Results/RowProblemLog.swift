import Logging

/// Logs the rows that did not make it (invalid or failed), in input order, as their results are
/// written, and (a second log of its own) the provisioned rows left without an instant key: the
/// first `limit` at `warning`, the rest at `debug`, so a file of ten thousand stale rows does not
/// bury the night's one real failure, while `--log-level debug` (or a log shipper that keeps
/// everything) still sees every row. Each line carries the row's `line` and `reservation_id`, its
/// `error_code`, and a Seam failure its `seam-request-id` for Seam's support.
struct RowProblemLog {
    /// The first screenful says what is wrong with a file (`validate` shows as many).
    public static let limit = 20

    let logger: Logger
    let file: String
    private(set) var logged = 0
    private(set) var beyondLimit = 0

    init(logger: Logger, file: String) {
        self.logger = logger
        self.file = file
    }

    /// A row as its result is written: logged when invalid or failed.
    mutating func record(_ row: ResultRow) {
        guard row.status == .invalid || row.status == .failed else { return }
        let location = row.identity.line > 0 ? "\(file):\(row.identity.line)" : "revocation of \(row.identity.reservationID)"
        note(row.identity, code: row.errorCode, seamRequestID: row.seamRequestID,
             "\(location): \(row.status.rawValue): \(row.errorMessage ?? row.errorCode?.rawValue ?? "")")
    }

    /// One line about `identity`'s row, at `warning` while under the limit.
    mutating func note(_ identity: ValidatedRow.Identity, code: ErrorCode?, seamRequestID: String?, _ message: Logger.Message) {
        var metadata = RowLogContext.metadata(of: identity)
        if let code { metadata["error_code"] = .string(code.rawValue) }
        if let seamRequestID { metadata["seam-request-id"] = .string(seamRequestID) }
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
