/// A problem that stops a run before any row is processed: a file that cannot be read, a header
/// without the required columns, an inconsistent listings file. Exit code 2.
public struct InputFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var reason: String

    public init(file: String, line: Int?, column: Int?, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(reason)"
    }
}

/// Several file problems reported together, so one run shows every mistake in a listings file.
public struct InputFileErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [InputFileError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

import CSV

extension InputFileError {
    /// A file-level CSV failure (cannot open, read or write), reported under the file it concerns.
    init(_ error: CSVFileError) {
        self.init(file: error.path, line: nil, column: nil, reason: error.reason)
    }

    /// Refuses a file in UTF-16 or UTF-32 by name (its fields would only read as garbled UTF-8).
    static func refuseForeignEncoding(of reader: CSVReader) throws(InputFileError) {
        guard let encoding = reader.foreignEncoding else { return }
        let lines = reader.foreignEncodingLines
        guard let first = lines.first else { throw InputFileError(file: reader.path, line: 1, column: 1, reason: encoding.refusal) }
        throw InputFileError(file: reader.path, line: first, column: nil,
                             reason: "\(encoding.refusal) (seen on lines \(lines.map(String.init).joined(separator: ", ")))")
    }

    /// Runs CSV file I/O, turning its failure into the run's file error (exit 2).
    static func catching<T>(_ body: () throws(CSVFileError) -> T) throws(InputFileError) -> T {
        do {
            return try body()
        } catch {
            throw InputFileError(error)
        }
    }
}
