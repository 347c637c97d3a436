/// A CSV file could not be used at all, as opposed to a bad record (a `CSVIssue`, after which
/// reading goes on): the input could not be opened, read or sought in, the output could not be
/// opened, written, flushed or closed, a writer was used after `close()`, or libcsv failed.
/// Callers turn it into their own input or output error (`InputFileError`, `OutputFileError`).
public struct CSVFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}
