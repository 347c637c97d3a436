import CSV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a results file so that a reader never sees a half-written one under the final name:
/// rows go to `OUT.partial` as they are produced, and `finish()` renames it to `OUT`. Standard
/// output, a FIFO or a character device is written through instead (`OutputTarget`); on a terminal
/// control characters from the input are shown escaped, while a pipe or a file gets the CSV's
/// bytes exactly (it is data: escaping would change the values).
public final class ResultsWriter {
    public let path: String
    public let layout: ResultsLayout
    private let partialPath: String
    private let writer: CSVWriter
    /// Written through (standard output, a FIFO, a device): nothing to rename.
    private let writesThrough: Bool

    public init(path: String, layout: ResultsLayout, format: ResultsFormat = ResultsFormat()) throws {
        self.path = path
        self.layout = layout
        let target = try OutputTarget.of(path)
        writesThrough = target != .replace
        partialPath = writesThrough ? path : path + ".partial"
        do {
            switch target {
            case .replace:
                writer = try CSVWriter(path: partialPath, lineEnding: format.csvLineEnding, neutraliseFormulas: format.neutraliseFormulas)
            case .standardOutput:
                writer = CSVWriter(descriptor: STDOUT_FILENO, name: "standard output", closesDescriptor: false,
                                   escapesControlCharacters: OutputTarget.isTerminal(STDOUT_FILENO),
                                   lineEnding: format.csvLineEnding, neutraliseFormulas: format.neutraliseFormulas)
            case .descriptor, .writeThrough:
                let descriptor = try OutputTarget.openThrough(path, target: target)!
                writer = CSVWriter(descriptor: descriptor, name: path, closesDescriptor: true,
                                   escapesControlCharacters: OutputTarget.isTerminal(descriptor),
                                   lineEnding: format.csvLineEnding, neutraliseFormulas: format.neutraliseFormulas)
            }
            try writer.write(layout.header)
        } catch let error as CSVFileError {
            throw OutputFileError(error)
        }
    }

    public func write(_ row: ResultRow) throws {
        do {
            try layout.forEachField(of: row) { (field) throws(CSVFileError) in try writer.appendField(field) }
            try writer.endRecord()
        } catch {
            throw OutputFileError(error)
        }
    }

    /// Writes one line of an export (`layout` `.export`).
    public func write(_ row: ExportRow) throws {
        precondition(layout == .export, "an ExportRow in a \(layout) file")
        do {
            try writer.write(row.fields)
        } catch {
            throw OutputFileError(error)
        }
    }

    /// Writes one line of `links` (layout `.links`): the fields as given, in the file's columns.
    public func write(fields: [String]) throws {
        guard case .links = layout else { preconditionFailure("fields written into a \(layout) file") }
        do {
            try writer.write(fields)
        } catch {
            throw OutputFileError(error)
        }
    }

    /// Writes a judged row's line. `validate`'s valid and expired rows (nearly all of a file) are
    /// written straight from the bytes the row was read from: the same line as
    /// `write(ResultRow(validated: row.validatedRow))`, without a string per value.
    public func write(_ row: JudgedRow) throws {
        guard layout == .validation, row.kind != .invalid, let email = row.email else {
            return try write(ResultRow(validated: row.validatedRow))
        }
        do {
            // Nearly every row: a line number and an address already in its normal form, one call.
            if row.line > 0, let emailBytes = email.bytesIfUnchanged {
                let status = row.kind == .expired ? Self.expiredBytes : Self.validBytes
                return try status.withUnsafeBufferPointer { (status) throws(CSVFileError) in
                    try writer.writeRecord(number: row.line, row.reservationID, emailBytes, row.listingID, status, emptyFields: 2)
                }
            }
            if row.line > 0 { try writer.appendField(row.line) } else { try writer.appendField("") }
            try writer.appendField(row.reservationID)
            if let bytes = email.bytesIfUnchanged { try writer.appendField(bytes) } else { try writer.appendField(email.string) }
            try writer.appendField(row.listingID)
            try writer.appendField(row.kind == .expired ? ResultStatus.expired.rawValue : ResultStatus.valid.rawValue)
            try writer.appendField("")
            try writer.appendField("")
            try writer.endRecord()
        } catch {
            throw OutputFileError(error)
        }
    }

    /// The status cells of valid and expired rows, as bytes for `CSVWriter.writeRecord`.
    private static let validBytes = Array(ResultStatus.valid.rawValue.utf8)
    private static let expiredBytes = Array(ResultStatus.expired.rawValue.utf8)

    /// Hands what was written so far to the OS, so a crash loses no finished row.
    public func flush() throws {
        do {
            try writer.flush()
        } catch {
            throw OutputFileError(error)
        }
    }

    /// Closes the file and moves it to its final name.
    public func finish() throws {
        do {
            try writer.close()
        } catch {
            throw OutputFileError(error)
        }
        guard !writesThrough else { return }
        // Created 0600 (it names guests), unless a file of ours there keeps its mode (`KeptFileMode`).
        if !layout.holdsKeyLinks, let kept = KeptFileMode.of(path) { _ = chmod(partialPath, kept) }
        try OutputTarget.rename(partialPath, to: path)
    }
}
