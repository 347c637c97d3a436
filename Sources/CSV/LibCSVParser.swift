import CLibCSV

/// Owns one libcsv `csv_parser` in strict mode and exposes the few state bits the reader needs
/// to count lines and recover from errors.
///
/// libcsv keeps its state in a public struct; we read it (and reset it) directly instead of
/// calling `csv_fini`, because after a strict-mode error `csv_fini` leaves the state untouched and
/// re-initialising would throw away the already-grown field buffer.
final class LibCSVParser {
    /// libcsv's internal parser states (from libcsv.c; they are not in csv.h).
    private enum State {
        static let rowNotBegun: Int32 = 0
        static let fieldBegun: Int32 = 2
    }

    private let parser: UnsafeMutablePointer<csv_parser>

    init(delimiter: UInt8) throws(CSVFileError) {
        parser = .allocate(capacity: 1)
        // CSV_APPEND_NULL: fields arrive NUL-terminated, for fast UTF-8 validation.
        guard csv_init(parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) == 0 else {
            parser.deallocate()
            throw CSVFileError(path: "", reason: "libcsv could not initialise a parser")
        }
        csv_set_delim(parser, delimiter)
    }

    /// libcsv reads the delimiter at each byte, so it may change before the first one is fed.
    func setDelimiter(_ delimiter: UInt8) {
        csv_set_delim(parser, delimiter)
    }

    deinit {
        csv_free(parser)
        parser.deallocate()
    }

    /// True between records: nothing of a record has been seen yet.
    var isBetweenRecords: Bool { parser.pointee.pstate == State.rowNotBegun }

    /// True when the parser is inside a quoted field whose closing quote has not been seen.
    var isInsideOpenQuote: Bool {
        parser.pointee.pstate == State.fieldBegun && parser.pointee.quoted != 0
    }

    /// Bytes accumulated so far for the field being parsed.
    var pendingFieldBytes: Int { parser.pointee.entry_pos }

    /// Drops the tail of an over-long field still being parsed, so a runaway field (typically an
    /// unterminated quote) cannot make memory grow with the file. The caller has already noted
    /// that the field is too long. Keeps room for the trailing spaces and closing quote libcsv
    /// subtracts when it submits the field.
    func capPendingField(at limit: Int) {
        let keep = limit + parser.pointee.spaces + 1
        if parser.pointee.entry_pos > keep { parser.pointee.entry_pos = keep }
    }

    /// Forgets any half-parsed record, as if the parser had just been created.
    func reset() {
        parser.pointee.pstate = State.rowNotBegun
        parser.pointee.quoted = 0
        parser.pointee.spaces = 0
        parser.pointee.entry_pos = 0
        parser.pointee.status = 0
    }

    /// Feeds bytes; returns how many were consumed. Fewer than `bytes.count` means a strict-mode
    /// error at offset `returned value` (the offending byte), or an allocation failure (see
    /// `lastErrorIsParseError`).
    func parse(_ bytes: UnsafeRawBufferPointer, into assembler: UnsafeMutablePointer<RecordAssembler>) -> Int {
        let context = UnsafeMutableRawPointer(assembler)
        return csv_parse(
            parser, bytes.baseAddress, bytes.count,
            { data, length, context in
                context!.assumingMemoryBound(to: RecordAssembler.self).pointee
                    .appendField(UnsafeRawBufferPointer(start: data, count: length))
            },
            { _, context in
                context!.assumingMemoryBound(to: RecordAssembler.self).pointee.endRecord()
            },
            context
        )
    }

    /// Ends the input: submits a last record that had no final newline. Returns false when the
    /// input ended inside a quoted field (the parser is then left as is; call `reset()`).
    func finish(into assembler: UnsafeMutablePointer<RecordAssembler>) -> Bool {
        let context = UnsafeMutableRawPointer(assembler)
        return csv_fini(
            parser,
            { data, length, context in
                context!.assumingMemoryBound(to: RecordAssembler.self).pointee
                    .appendField(UnsafeRawBufferPointer(start: data, count: length))
            },
            { _, context in
                context!.assumingMemoryBound(to: RecordAssembler.self).pointee.endRecord()
            },
            context
        ) == 0
    }

    var lastErrorIsParseError: Bool { csv_error(parser) == CSV_EPARSE }

    var lastErrorDescription: String { String(cString: csv_strerror(csv_error(parser))) }
}
