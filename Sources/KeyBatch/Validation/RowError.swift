/// One reason a row cannot be provisioned, pointing at the column that caused it.
public struct RowError: Sendable, Hashable {
    public var code: RowErrorCode
    /// 1-based column number in the input file (the byte column for malformed CSV), when known.
    public var column: Int?
    /// The header name of that column, when the error is about one field.
    public var columnName: String?
    /// A sentence for a person, without file or line (the caller adds those).
    public var message: String

    public init(code: RowErrorCode, column: Int?, columnName: String?, message: String) {
        self.code = code
        self.column = column
        self.columnName = columnName
        self.message = message
    }

    /// `column 3 (guest_email): …`, the form used inside results files, where the line has its own column.
    public var located: String {
        switch (column, columnName) {
        case let (column?, name?): return "column \(column) (\(name)): \(message)"
        case let (column?, nil): return "column \(column): \(message)"
        default: return message
        }
    }

    /// `reservations.csv:12:3: invalid_email: …`, the form used on the terminal.
    public func rendered(file: String, line: Int) -> String {
        "\(file):\(line):\(column.map(String.init) ?? "-"): \(code.rawValue): \(columnName.map { "(\($0)) " } ?? "")\(message)"
    }
}
