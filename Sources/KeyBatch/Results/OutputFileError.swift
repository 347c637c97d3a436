import CSV

/// A results or plan file that cannot be written (or moved to its final name). Exit code 2.
public struct OutputFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    init(_ error: CSVFileError) {
        self.init(file: error.path, reason: error.reason)
    }

    public var description: String { "\(file): \(reason)" }
}
