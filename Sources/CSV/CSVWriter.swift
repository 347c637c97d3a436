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
    public init(path: String, lineEnding: LineEnding = .crlf, neutraliseFormulas: Bool = true) throws(CSVFileError) {
        output = try BufferedOutput(path: path, capacity: 64 * 1024)
        self.lineEnding = lineEnding
        self.neutraliseFormulas = neutraliseFormulas
    }

    /// Writes to `descriptor`, already open: standard output, a FIFO or a character device,
    /// written through rather than replaced. `name` is for messages.
    /// - Parameter escapesControlCharacters: for a terminal only: control characters (ESC, NUL,
    ///   a lone CR, C1) and bidirectional overrides are shown as `\u{1B}`, so a hostile field cannot
    ///   drive the terminal; anywhere else the bytes are data and are written exactly.
    public init(descriptor: Int32, name: String, closesDescriptor: Bool, escapesControlCharacters: Bool = false,
                lineEnding: LineEnding = .crlf, neutraliseFormulas: Bool = true) {
        output = BufferedOutput(descriptor: descriptor, path: name, closesDescriptor: closesDescriptor,
                                escapesControlCharacters: escapesControlCharacters, capacity: 64 * 1024)
        self.lineEnding = lineEnding
        self.neutraliseFormulas = neutraliseFormulas
    }

    deinit {
        if !isClosed { try? close() }
    }

    /// Fields appended to the record being written (see `appendField(_:)`).
    private var fieldsInRecord = 0
    /// The record being written so far is one empty field, which alone would be a blank line.
    private var recordIsOneEmptyField = false

    /// Appends one record (buffered).
    public func write(_ fields: [String]) throws(CSVFileError) {
        guard !isClosed else { throw CSVFileError(path: output.path, reason: "write after close") }
        for field in fields { try appendField(field) }
        try endRecord()
    }

    /// Appends one field of the record being written; `endRecord()` finishes the record.
    /// Writes exactly what `write(_:)` writes for the same fields, without the caller building an
    /// array per record (results files are written a row at a time, millions of rows per run).
    public func appendField(_ field: String) throws(CSVFileError) {
        try reserveField(byteCount: field.utf8.count)
        let appended: Void? = field.utf8.withContiguousStorageIfAvailable { appendReserved($0) }
        if appended == nil {
            var contiguous = field
            contiguous.withUTF8 { appendReserved($0) }
        }
    }

    /// Appends one field given as UTF-8 bytes: what `appendField(String(decoding: field, as: UTF8.self))`
    /// appends for valid UTF-8, without the string (`validate` writes its rows' values straight
    /// from the bytes it read). The same quoting and formula guard, in `appendReserved(_:)`.
    public func appendField(_ field: UnsafeBufferPointer<UInt8>) throws(CSVFileError) {
        try reserveField(byteCount: field.count)
        appendReserved(field)
    }

    /// Appends a number field: what `appendField(String(value))` appends, with the digits written
    /// straight into the buffer (results files number every line). Digits never need quotes, and
    /// only a negative number (its `-`) goes through the formula guard.
    public func appendField(_ value: Int) throws(CSVFileError) {
        guard value >= 0 else { return try appendField(String(value)) }
        guard !isClosed else { throw CSVFileError(path: output.path, reason: "write after close") }
        try output.reserve(21)
        appendReserved(value)
    }

    /// Writes a whole record: a number, four fields given as UTF-8 bytes, then `emptyFields` empty
    /// fields. The same bytes as `appendField(number)`, `appendField(_:)` for each field, as many
    /// `appendField("")` and `endRecord()`, with one check and one reservation for the record
    /// instead of one per field: `validate` writes nearly every row of a file this way, and the
    /// per-field calls were a tenth of its writing thread's time.
    public func writeRecord(
        number: Int, _ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>,
        _ third: UnsafeBufferPointer<UInt8>, _ fourth: UnsafeBufferPointer<UInt8>, emptyFields: Int
    ) throws(CSVFileError) {
        guard number >= 0 else {
            try appendField(number)
            for field in [first, second, third, fourth] { try appendField(field) }
            for _ in 0..<emptyFields { try appendField("") }
            return try endRecord()
        }
        guard !isClosed else { throw CSVFileError(path: output.path, reason: "write after close") }
        // What the per-field calls reserve, summed: 21 for the number, 2n + 4 for each field of n
        // bytes, a delimiter for each empty field, 4 for the line's end.
        try output.reserve(21 + 2 * (first.count + second.count + third.count + fourth.count) + 16 + emptyFields + 4)
        appendReserved(number)
        appendReserved(first)
        appendReserved(second)
        appendReserved(third)
        appendReserved(fourth)
        let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        for _ in 0..<emptyFields { appendReserved(empty) }
        endReservedRecord()
    }

    /// Appends a number that is not negative after `output.reserve(21)` (19 digits and a delimiter).
    private func appendReserved(_ value: Int) {
        if fieldsInRecord > 0 { output.append(delimiter) }
        recordIsOneEmptyField = false
        fieldsInRecord += 1
        var digits = 1
        var rest = value / 10
        while rest > 0 { digits += 1; rest /= 10 }
        let space = output.freeSpace
        var remaining = value
        for position in stride(from: digits - 1, through: 0, by: -1) {
            space[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
        }
        output.commit(digits)
    }

    /// Ends the record begun by `appendField(_:)`; a record with no fields is not written.
    public func endRecord() throws(CSVFileError) {
        guard !isClosed else { throw CSVFileError(path: output.path, reason: "write after close") }
        guard fieldsInRecord > 0 else { return }
        try output.reserve(4)
        endReservedRecord()
    }

    /// Ends a record of at least one field after reserving 4 bytes.
    private func endReservedRecord() {
        // libcsv writes nothing for an empty field, so the lone-field `""` is ours; it is decided
        // here, once it is known that no other field follows.
        if fieldsInRecord == 1 && recordIsOneEmptyField {
            output.append(UInt8(ascii: "\""))
            output.append(UInt8(ascii: "\""))
        }
        if lineEnding == .crlf { output.append(0x0D) }
        output.append(0x0A)
        fieldsInRecord = 0
        recordIsOneEmptyField = false
        hasWrittenARecord = true
    }

    /// Checks the writer is open and makes room for a field of `byteCount` bytes. Worst case:
    /// every byte a quote (doubled), two enclosing quotes, a `'`, a delimiter.
    private func reserveField(byteCount: Int) throws(CSVFileError) {
        guard !isClosed else { throw CSVFileError(path: output.path, reason: "write after close") }
        try output.reserve(2 * byteCount + 4)
    }

    /// Appends one field after `reserveField`: the delimiter before it, then the field, guarded
    /// against formulas and quoted as needed. The one place both `appendField`s go through.
    private func appendReserved(_ field: UnsafeBufferPointer<UInt8>) {
        if fieldsInRecord > 0 { output.append(delimiter) }
        let startsFile = fieldsInRecord == 0 && !hasWrittenARecord
        recordIsOneEmptyField = fieldsInRecord == 0 && field.isEmpty
        fieldsInRecord += 1
        if neutraliseFormulas, let first = field.first, FormulaGuard.isRisky(firstByte: first) {
            appendNeutralised(field, startsFile: startsFile)
        } else {
            append(field, startsFile: startsFile)
        }
    }

    /// An empty field appends nothing here (see `endRecord()` for the lone empty field).
    private func append(_ bytes: UnsafeBufferPointer<UInt8>, startsFile: Bool) {
        if bytes.isEmpty { return }
        if FieldQuoting.needsQuotes(bytes, delimiter: delimiter, isLoneField: false, startsFile: startsFile) {
            let space = output.freeSpace
            output.commit(csv_write2(space.baseAddress, space.count, bytes.baseAddress, bytes.count, UInt8(ascii: "\"")))
        } else {
            output.append(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Appends `'` and the field, through a prefixed copy so that quoting sees the real field;
    /// risky fields are few, so the copy costs little.
    private func appendNeutralised(_ field: UnsafeBufferPointer<UInt8>, startsFile: Bool) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: field.count + 1) { prefixed in
            prefixed[0] = UInt8(ascii: "'")
            _ = UnsafeMutableBufferPointer(rebasing: prefixed[1...]).initialize(fromContentsOf: field)
            append(UnsafeBufferPointer(prefixed), startsFile: startsFile)
        }
    }

    /// Pushes buffered records to the file (not fsync).
    public func flush() throws(CSVFileError) {
        guard !isClosed else { throw CSVFileError(path: output.path, reason: "flush after close") }
        try output.flush()
    }

    /// Flushes and closes; further writes are errors.
    public func close() throws(CSVFileError) {
        guard !isClosed else { return }
        isClosed = true
        defer { try? output.closeDescriptor() }
        try output.flush()
        try output.closeDescriptor()
    }
}
