/// Streams records out of a CSV file through libcsv, in fixed-size chunks, so memory does not grow
/// with the file. CONTRACT STUB: the CSV work replaces the bodies; the public API below is what
/// the rest of the package codes against.
public final class CSVReader {
    /// Where records come from; `-` means standard input.
    public let path: String

    /// - Parameters:
    ///   - path: file path, or `-` for standard input.
    ///   - delimiter: field delimiter byte (`,` by default, `;` for many European exports).
    ///   - chunkSize: bytes read and handed to `csv_parse` at a time.
    ///   - maxFieldBytes: a longer field makes its record a `fieldTooLong` issue.
    ///   - enforceFieldCount: the first record (the header) fixes the field count; a record with
    ///     another count becomes a `wrongFieldCount` issue.
    public init(
        path: String,
        delimiter: UInt8 = UInt8(ascii: ","),
        chunkSize: Int = 64 * 1024,
        maxFieldBytes: Int = 64 * 1024,
        enforceFieldCount: Bool = true
    ) throws(CSVOpenError) {
        fatalError("CSVReader stub")
    }

    /// The next record or issue, nil at end of input. Throws only for I/O failures.
    /// Blank lines are skipped; a UTF-8 BOM at the start is dropped.
    public func next() throws(CSVOpenError) -> Result<CSVRecord, CSVIssue>? {
        fatalError("CSVReader stub")
    }
}

/// The input could not be opened or read at all (as opposed to a bad record).
public struct CSVOpenError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}
