/// Writes RFC 4180 CSV through libcsv's quoting. CONTRACT STUB: the CSV work replaces the bodies.
public final class CSVWriter {
    public enum LineEnding: Sendable { case crlf, lf }

    /// - Parameters:
    ///   - path: file to create or truncate, or `-` for standard output.
    ///   - neutraliseFormulas: prefix `'` to any field starting with `=`, `+`, `-`, `@`, tab or CR,
    ///     so a spreadsheet never runs a formula smuggled in through a reservation export.
    public init(path: String, lineEnding: LineEnding = .crlf, neutraliseFormulas: Bool = true) throws(CSVOpenError) {
        fatalError("CSVWriter stub")
    }

    /// Appends one record (buffered).
    public func write(_ fields: [String]) throws(CSVOpenError) {
        fatalError("CSVWriter stub")
    }

    /// Pushes buffered records to the file (not fsync).
    public func flush() throws(CSVOpenError) {
        fatalError("CSVWriter stub")
    }

    /// Flushes and closes; further writes are errors.
    public func close() throws(CSVOpenError) {
        fatalError("CSVWriter stub")
    }
}
