/// One record of a CSV file, with the physical line on which it starts, so that every
/// message about it can point a person at the right place in the file.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based line number of the record's first byte (embedded newlines make records span lines).
    public var line: Int
    public var fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}
