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
            var field = neutraliseFormulas ? FormulaGuard.neutralised(fields[index]) : fields[index]
            // Worst case: every byte a quote (doubled), two enclosing quotes, a delimiter.
            try output.reserve(2 * field.utf8.count + 3)
            if index > 0 { output.append(delimiter) }
            field.withUTF8 { bytes in
                if bytes.isEmpty {
                    // libcsv writes nothing for an empty source, so the lone-field `""` is ours.
                    if isLoneField {
                        output.append(UInt8(ascii: "\""))
                        output.append(UInt8(ascii: "\""))
                    }
                } else if FieldQuoting.needsQuotes(bytes, delimiter: delimiter, isLoneField: isLoneField,
                                              startsFile: index == 0 && !hasWrittenARecord) {
                    let space = output.freeSpace
                    let written = csv_write2(space.baseAddress, space.count, bytes.baseAddress, bytes.count,
                                             UInt8(ascii: "\""))
                    output.commit(written)
                } else {
                    output.append(UnsafeRawBufferPointer(bytes))
                }
            }
        }
        try output.reserve(2)
        if lineEnding == .crlf { output.append(0x0D) }
        output.append(0x0A)
        hasWrittenARecord = true
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
