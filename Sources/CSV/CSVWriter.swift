import CLibCSV

/// Writes RFC 4180 CSV through libcsv's quoting, buffered, to a file or standard output.
///
/// Only fields that need it are quoted (see `FieldQuoting`), so whatever this writer writes, with
/// `neutraliseFormulas` off, `CSVReader` reads back field for field. A record with no fields has
/// no CSV form and is not written.
///
/// Not thread-safe: use one writer from one task.
public final class CSVWriter {
    public enum LineEnding: Sendable { case crlf, lf }

    private let output: BufferedOutput
    private let lineEnding: LineEnding
    private let neutraliseFormulas: Bool
    private let delimiter = UInt8(ascii: ",")
    private var isClosed = false
    private var hasWrittenARecord = false

    /// - Parameters:
    ///   - path: file to create or truncate, or `-` for standard output.
    ///   - neutraliseFormulas: prefix `'` to any field starting with `=`, `+`, `-`, `@`, tab or CR,
    ///     so a spreadsheet never runs a formula smuggled in through a reservation export.
    public init(path: String, lineEnding: LineEnding = .crlf, neutraliseFormulas: Bool = true) throws(CSVOpenError) {
        output = try BufferedOutput(path: path, capacity: 64 * 1024)
        self.lineEnding = lineEnding
        self.neutraliseFormulas = neutraliseFormulas
    }

    deinit {
        if !isClosed { try? close() }
    }

    /// Appends one record (buffered).
    public func write(_ fields: [String]) throws(CSVOpenError) {
        guard !isClosed else { throw CSVOpenError(path: output.path, reason: "write after close") }
        guard !fields.isEmpty else { return }
        let isLoneField = fields.count == 1
        for index in fields.indices {
            let field = fields[index]
            // Worst case: every byte a quote (doubled), two enclosing quotes, a `'`, a delimiter.
            try output.reserve(2 * field.utf8.count + 4)
            if index > 0 { output.append(delimiter) }
            let startsFile = index == 0 && !hasWrittenARecord
            if neutraliseFormulas && FormulaGuard.isRisky(field) {
                appendNeutralised(field, startsFile: startsFile)
            } else {
                append(field, isLoneField: isLoneField, startsFile: startsFile)
            }
        }
        try output.reserve(2)
        if lineEnding == .crlf { output.append(0x0D) }
        output.append(0x0A)
        hasWrittenARecord = true
    }

    /// Appends one field (room reserved), quoted by libcsv when it needs quotes.
    private func append(_ field: String, isLoneField: Bool, startsFile: Bool) {
        let appended: Void? = field.utf8.withContiguousStorageIfAvailable { bytes in
            append(bytes, isLoneField: isLoneField, startsFile: startsFile)
        }
        if appended == nil {
            var contiguous = field
            contiguous.withUTF8 { append($0, isLoneField: isLoneField, startsFile: startsFile) }
        }
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>, isLoneField: Bool, startsFile: Bool) {
        if bytes.isEmpty {
            // libcsv writes nothing for an empty source, so the lone-field `""` is ours.
            if isLoneField {
                output.append(UInt8(ascii: "\""))
                output.append(UInt8(ascii: "\""))
            }
        } else if FieldQuoting.needsQuotes(bytes, delimiter: delimiter, isLoneField: isLoneField, startsFile: startsFile) {
            let space = output.freeSpace
            output.commit(csv_write2(space.baseAddress, space.count, bytes.baseAddress, bytes.count, UInt8(ascii: "\"")))
        } else {
            output.append(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Appends `'` and the field, through a prefixed copy so that quoting sees the real field;
    /// risky fields are few, so the copy costs little.
    private func appendNeutralised(_ field: String, startsFile: Bool) {
        let prefixed = "'" + field
        append(prefixed, isLoneField: false, startsFile: startsFile)
    }

    /// Pushes buffered records to the file (not fsync).
    public func flush() throws(CSVOpenError) {
        guard !isClosed else { throw CSVOpenError(path: output.path, reason: "flush after close") }
        try output.flush()
    }

    /// Flushes and closes; further writes are errors.
    public func close() throws(CSVOpenError) {
        guard !isClosed else { return }
        isClosed = true
        defer { try? output.closeDescriptor() }
        try output.flush()
        try output.closeDescriptor()
    }
}
