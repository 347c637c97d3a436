/// A problem with one record. Reading goes on after it, so that one bad row never hides the rest.
public struct CSVIssue: Error, Sendable, Equatable {
    /// Stable snake_case codes; they appear in results files and scripts may match on them.
    public enum Kind: String, Sendable {
        case malformedCSV = "malformed_csv"
        case wrongFieldCount = "wrong_field_count"
        case invalidUTF8 = "invalid_utf8"
        case fieldTooLong = "field_too_long"
    }

    public var kind: Kind
    /// 1-based line where the offending record starts. For `malformedCSV`, the line of the byte
    /// where libcsv stopped; or, when the culprit is a quote left open across line breaks (the
    /// reader then re-reads the lines after it), the line of that opening quote.
    public var line: Int
    /// 1-based column: the byte column (BOM not counted) of `line` for `malformedCSV`, the field
    /// number for `invalidUTF8` and `fieldTooLong`, nil for `wrongFieldCount` or when unknown.
    public var column: Int?
    /// A human sentence saying what is wrong, without the file name (callers add it).
    public var message: String
    /// Whatever fields could be recovered (invalid UTF-8 repaired with U+FFFD), so the row can
    /// still be reported with its reservation id.
    public var recoveredFields: [String]

    public init(kind: Kind, line: Int, column: Int?, message: String, recoveredFields: [String]) {
        self.kind = kind
        self.line = line
        self.column = column
        self.message = message
        self.recoveredFields = recoveredFields
    }
}
