/// The `error_code` column of a results row: why the row did not reach its goal.
///
/// One type for the three sources, so a row carries a code without anyone spelling a string:
/// the row's own fields (`RowErrorCode`), the run or KeyBatch's own checks (`RunErrorCode`), or
/// Seam, whose error types (`invalid_input`, `acs_user_not_found`, a transport's `timeout`) are
/// passed through unchanged (`SeamCode` keeps their spelling).
public enum ErrorCode: Sendable, Hashable, CustomStringConvertible {
    case row(RowErrorCode)
    case run(RunErrorCode)
    case seam(SeamCode)

    /// The text written to the results file and counted in the summary.
    public var rawValue: String {
        switch self {
        case .row(let code): code.rawValue
        case .run(let code): code.rawValue
        case .seam(let code): code.description
        }
    }

    public var description: String { rawValue }

    /// Seam's code, when the code is Seam's.
    public var seamCode: SeamCode? {
        if case .seam(let code) = self { code } else { nil }
    }

    /// KeyBatch's verdict that the site does not hold what was set, though Seam shows no error:
    /// the state forgets only that part (not the user), and the next run sends it again.
    public var isNotHeld: Bool {
        self == .run(.accessGroupsNotHeld) || self == .run(.accessScheduleNotHeld)
    }
}
