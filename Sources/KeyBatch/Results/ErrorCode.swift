/// The `error_code` column of a results row: why the row did not reach its goal.
///
/// One type for the three sources, so a row carries a code without anyone spelling a string:
/// the row's own fields (`RowErrorCode`), the run (`RunErrorCode`), or Seam, whose error types
/// (`invalid_input`, `acs_user_not_found`, a transport's `timeout`) are passed through unchanged.
public enum ErrorCode: Sendable, Hashable, CustomStringConvertible {
    case row(RowErrorCode)
    case run(RunErrorCode)
    case seam(String)

    /// The text written to the results file and counted in the summary.
    public var rawValue: String {
        switch self {
        case .row(let code): code.rawValue
        case .run(let code): code.rawValue
        case .seam(let type): type
        }
    }

    public var description: String { rawValue }
}
