/// Counts for the end-of-run report and the exit code.
public struct RunSummary: Sendable, Equatable {
    public var rows = 0
    public var byStatus: [ResultStatus: Int] = [:]
    /// Rows by what the run set out to do (`validate` plans nothing: empty).
    public var byAction: [ActionKind: Int] = [:]
    /// Every error of every invalid row, by code (a row with two problems counts under both).
    public var errorsByCode: [String: Int] = [:]

    public init() {}

    public mutating func record(_ row: ResultRow, errors: [RowError] = []) {
        rows += 1
        byStatus[row.status, default: 0] += 1
        if let action = row.action { byAction[action, default: 0] += 1 }
        if errors.isEmpty, let code = row.errorCode {
            errorsByCode[code.rawValue, default: 0] += 1
        }
        for error in errors {
            errorsByCode[error.code.rawValue, default: 0] += 1
        }
    }

    /// Counts `count` rows with `status` and no error at once (nothing when `count` is 0, so the
    /// summary equals one built a row at a time).
    public mutating func record(_ status: ResultStatus, count: Int) {
        guard count > 0 else { return }
        rows += count
        byStatus[status, default: 0] += count
    }

    public func count(_ status: ResultStatus) -> Int { byStatus[status] ?? 0 }
}
