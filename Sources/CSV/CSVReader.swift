#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams records out of a CSV file through libcsv, in fixed-size chunks, so memory does not grow
/// with the file.
///
/// libcsv is fed one physical line at a time (lines are found with `memchr`, any of LF, CRLF or
/// CR), which gives exact line numbers, byte columns for strict-mode errors, and a clean place to
/// resynchronise: after a malformed quote the reader drops the rest of that line and goes on with
/// a fresh parser state, so one bad row never hides the rest of the file. A quote that is never
/// closed is detected at the end of input; the reader then goes back to the line after the
/// opening quote (seeking in a file, replaying kept bytes for a pipe: `QuoteRecovery`) and reads
/// on from there.
/// What the first bytes settle (a byte-order mark, a foreign encoding, the delimiter with
/// `.detect`) is `InputPreamble`'s.
///
/// Not thread-safe: use one reader from one task.
public final class CSVReader {
    /// Where records come from; `-` means standard input.
    public let path: String

    private let input: ChunkedInput
    private let parser: LibCSVParser
    private let assembler: UnsafeMutablePointer<RecordAssembler>
    private let maxFieldBytes: Int
    private let quoteByte = UInt8(ascii: "\"")

    /// Next byte of `input.buffer` to feed.
    private var position = 0
    /// Cached positions of the next LF / CR at or after `position` (`input.count` if none;
    /// -1 when stale).
    private var nextLF = -1
    private var nextCR = -1
    /// Physical line of the byte at `position`.
    private var lineNumber = 1
    /// Bytes of the current line fed from earlier chunks.
    private var columnBase = 0
    private var atLineStart = true
    /// The previous chunk ended with CR: an LF starting this chunk completes that CRLF.
    private var pendingLFOfCRLF = false
    /// After a parse error, the rest of the line is dropped.
    private var skippingRestOfLine = false
    /// The byte-order mark, foreign encoding and (with `.detect`) delimiter, from the first bytes.
    private var preamble: InputPreamble
    /// The field delimiter in use: the one given, or (with `.detect`) the one the first line
    /// suggested, known once the first chunk has been read.
    public private(set) var delimiter: UInt8
    /// Whether `delimiter` was chosen from the first line (for messages about a header that does
    /// not match).
    public let detectsDelimiter: Bool
    /// A non-UTF-8 encoding recognised from the first bytes of the input (see `ForeignEncoding`).
    public var foreignEncoding: ForeignEncoding? { preamble.foreignEncoding }
    /// For `.windows1252`: the first lines that showed it, for the refusal.
    public var foreignEncodingLines: [Int] { preamble.foreignEncodingLines }
    private var finished = false
    /// A quote open across line breaks, and how to go back to the line after it.
    private var quoteRecovery: QuoteRecovery
    private var pendingIssue: CSVIssue?

    /// - Parameters:
    ///   - path: file path, or `-` for standard input.
    ///   - delimiter: field delimiter byte (`,` by default, `;` for many European exports).
    ///   - chunkSize: bytes read and handed to `csv_parse` at a time.
    ///   - maxFieldBytes: a longer field makes its record a `fieldTooLong` issue.
    ///   - enforceFieldCount: the first record (the header) fixes the field count; a record with
    ///     another count becomes a `wrongFieldCount` issue.
    public convenience init(
        path: String,
        delimiter: UInt8 = UInt8(ascii: ","),
        chunkSize: Int = 64 * 1024,
        maxFieldBytes: Int = 64 * 1024,
        enforceFieldCount: Bool = true
    ) throws(CSVFileError) {
        try self.init(path: path, delimiting: .byte(delimiter), chunkSize: chunkSize, maxFieldBytes: maxFieldBytes,
                      enforceFieldCount: enforceFieldCount)
    }

    /// - Parameter delimiting: a given delimiter, or `.detect` to choose it from the first line.
    public init(
        path: String,
        delimiting: CSVDelimiter,
        chunkSize: Int = 64 * 1024,
        maxFieldBytes: Int = 64 * 1024,
        enforceFieldCount: Bool = true
    ) throws(CSVFileError) {
        let delimiter: UInt8
        switch delimiting {
        case .byte(let byte): delimiter = byte
        case .detect: delimiter = UInt8(ascii: ",")
        }
        precondition(delimiter != UInt8(ascii: "\"") && delimiter != 0x0A && delimiter != 0x0D,
                     "the delimiter cannot be a quote or a line break")
        self.delimiter = delimiter
        detectsDelimiter = delimiting == .detect
        preamble = InputPreamble(detectsDelimiter: delimiting == .detect)
        self.path = path
        self.maxFieldBytes = maxFieldBytes
        quoteRecovery = QuoteRecovery(maxFieldBytes: maxFieldBytes)
        input = try ChunkedInput(path: path, chunkSize: chunkSize)
        do {
            parser = try LibCSVParser(delimiter: delimiter)
        } catch {
            throw CSVFileError(path: path, reason: error.reason)
        }
        assembler = .allocate(capacity: 1)
        assembler.initialize(to: RecordAssembler(maxFieldBytes: maxFieldBytes, enforceFieldCount: enforceFieldCount))
    }

    deinit {
        assembler.pointee.deallocateRawStorage()
        assembler.deinitialize(count: 1)
        assembler.deallocate()
    }

    /// Field count of the first record (the header), once it has been read.
    public var headerFieldCount: Int? { assembler.pointee.expectedFieldCount }

    /// The next record or issue, nil at end of input. Throws only for I/O failures.
    /// Blank lines are skipped; a UTF-8 BOM at the start is dropped.
    public func next() throws(CSVFileError) -> Result<CSVRecord, CSVIssue>? {
        assembler.pointee.keepsRawFields = false
        while true {
            if let record = assembler.pointee.takeCompleted() { return record }
            switch try advance() {
            case .issue(let issue): return .failure(issue)
            case .end: return nil
            case .progressed: continue
            }
        }
    }

    /// Like `next()`, but lends a good record's fields to `body` as bytes instead of building a
    /// `String` per field, and returns what `body` returns (issues come as from `next()`).
    /// Inlinable over `lendNextRecord(_:)`, so a caller in another module gets it specialised
    /// for its `T`: unspecialised, the generic `Result` cost a type-metadata lookup and
    /// value-witness copies per record, a few percent of `validate`.
    @inlinable
    public func nextRaw<T>(_ body: (_ line: Int, _ fields: CSVRawFields) -> T) throws(CSVFileError) -> Result<T, CSVIssue>? {
        var value: T?
        switch try lendNextRecord({ line, fields in value = body(line, fields) }) {
        case nil: return nil
        case .success: return .success(value!)
        case .failure(let issue): return .failure(issue)
        }
    }

    /// `nextRaw(_:)`'s work, not generic: lends a good record's fields to `body` (`.success`), or
    /// hands back an issue, or nil at the end of input.
    @usableFromInline
    func lendNextRecord(_ body: (_ line: Int, _ fields: CSVRawFields) -> Void) throws(CSVFileError) -> Result<Void, CSVIssue>? {
        assembler.pointee.keepsRawFields = true
        while true {
            if let line = assembler.pointee.takeCompletedRawLine() {
                body(line, assembler.pointee.rawFields)
                return .success(())
            }
            // In raw mode a finished record is kept only as bytes, so `completed` holds issues.
            if case .failure(let issue)? = assembler.pointee.takeCompleted() { return .failure(issue) }
            switch try advance() {
            case .issue(let issue): return .failure(issue)
            case .end: return nil
            case .progressed: continue
            }
        }
    }

    private enum Advance {
        case issue(CSVIssue)
        case end
        case progressed
    }

    /// One step of parsing shared by `next()` and `nextRaw(_:)`: hand out a pending issue, stop at
    /// the end, or feed the next line (refilling the chunk first when it is used up).
    private func advance() throws(CSVFileError) -> Advance {
        if let issue = pendingIssue {
            pendingIssue = nil
            return .issue(issue)
        }
        if finished { return .end }
        if position == input.count {
            if try input.refill() {
                startChunk()
            } else {
                try finishInput()
            }
            return .progressed
        }
        try feedNextSegment()
        return .progressed
    }

    /// A fresh chunk: the preamble looks at it first, and says which bytes are a mark and which
    /// delimiter to parse with.
    private func startChunk() {
        position = 0
        nextLF = -1
        nextCR = -1
        let opening = preamble.open(UnsafeRawBufferPointer(rebasing: input.buffer[0..<input.count]))
        position = opening.markBytes
        if opening.falseMarkBytes > 0 {
            InputPreamble.byteOrderMark[..<opening.falseMarkBytes].withUnsafeBytes { _ = parser.parse($0, into: assembler) }
            columnBase = opening.falseMarkBytes
            atLineStart = false
        }
        if let chosen = opening.chosenDelimiter {
            delimiter = chosen
            parser.setDelimiter(chosen)
        }
    }

    /// Feeds the bytes up to and including the next line break (or to the end of the chunk).
    private func feedNextSegment() throws(CSVFileError) {
        let base = UnsafeRawPointer(input.buffer.baseAddress!)
        let count = input.count

        if pendingLFOfCRLF {
            pendingLFOfCRLF = false
            if base.load(fromByteOffset: position, as: UInt8.self) == 0x0A {
                // The LF of a CRLF split across chunks: same line break, no new line. Inside a
                // quoted field it is content, elsewhere libcsv ignores it.
                if !skippingRestOfLine {
                    let lf = UnsafeRawBufferPointer(start: base + position, count: 1)
                    _ = parser.parse(lf, into: assembler)
                    quoteRecovery.keep(lf)
                }
                position += 1
                return
            }
        }

        if nextLF < position { nextLF = Self.find(0x0A, in: base, from: position, to: count) }
        if nextCR < position { nextCR = Self.find(0x0D, in: base, from: position, to: count) }
        let terminator = min(nextLF, nextCR)
        var segmentEnd = count
        var endsLine = false
        var endsWithCR = false
        if terminator < count {
            segmentEnd = terminator + 1
            endsLine = true
            if terminator == nextCR {
                if segmentEnd < count {
                    if base.load(fromByteOffset: segmentEnd, as: UInt8.self) == 0x0A { segmentEnd += 1 }
                } else {
                    pendingLFOfCRLF = true
                    endsWithCR = true
                }
            }
        }
        let segment = UnsafeRawBufferPointer(start: base + position, count: segmentEnd - position)

        if skippingRestOfLine {
            position = segmentEnd
            if endsLine {
                skippingRestOfLine = false
                startNextLine()
            } else {
                columnBase += segment.count
            }
            return
        }

        if atLineStart {
            atLineStart = false
            if parser.isBetweenRecords { assembler.pointee.recordStartLine = lineNumber }
        }
        let wasInsideQuote = parser.isInsideOpenQuote
        let consumed = parser.parse(segment, into: assembler)
        if consumed < segment.count {
            try handleMalformed(at: consumed, in: segment, segmentEnd: segmentEnd, endsLine: endsLine)
            return
        }
        quoteRecovery.keep(segment)
        if parser.pendingFieldBytes > maxFieldBytes {
            assembler.pointee.pendingFieldWasCapped = true
            parser.capPendingField(at: maxFieldBytes)
        }
        if parser.isInsideOpenQuote {
            quoteRecovery.noteStillOpen(after: segment, wasInsideQuote: wasInsideQuote, line: lineNumber, columnBase: columnBase)
            if endsLine {
                quoteRecovery.noteLineEndedInside(nextLineOffset: input.chunkOffset + segmentEnd, afterCR: endsWithCR,
                                                  inputIsSeekable: input.isSeekable)
            }
        } else if endsLine {
            quoteRecovery.noteLineEndedOutside()
        }
        position = segmentEnd
        if endsLine { startNextLine() } else { columnBase += segment.count }
    }

    private func startNextLine() {
        lineNumber += 1
        columnBase = 0
        atLineStart = true
    }

    /// libcsv stopped at `offset` of `segment` in strict mode: report and drop the record, then
    /// resynchronise with a fresh parser state. Normally reading goes on at the next line; but
    /// when a quote had been left open across a line break, that quote is the likely culprit
    /// (an unbalanced quote swallows the lines after it until another quote turns up), so reading
    /// goes back to the line after the one where it opened.
    private func handleMalformed(
        at offset: Int, in segment: UnsafeRawBufferPointer, segmentEnd: Int, endsLine: Bool
    ) throws(CSVFileError) {
        guard parser.lastErrorIsParseError else {
            throw CSVFileError(path: path, reason: "libcsv: \(parser.lastErrorDescription)")
        }
        let stopColumn = columnBase + offset + 1
        let recordStart = assembler.pointee.recordStartLine
        let recovered = assembler.pointee.discardRecord()
        parser.reset()
        if let quote = quoteRecovery.takeOpenQuote(), quote.resumeOffset != nil {
            let unread = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(input.buffer)[position..<input.count])
            if let resumed = try rewind(to: quote, unread: unread) {
                pendingIssue = CSVIssue(
                    kind: .malformedCSV, line: quote.line, column: quote.column,
                    message: "a quoted field opened here is not closed properly (parsing stopped on line "
                        + "\(lineNumber), column \(stopColumn))" + resumed,
                    recoveredFields: recovered)
                return
            }
        }
        var message = segment[offset] == quoteByte
            ? "a quote inside an unquoted field (quote the whole field and double the inner quotes)"
            : "unexpected text after a closing quote"
        if recordStart != lineNumber { message += " in the record starting on line \(recordStart)" }
        pendingIssue = CSVIssue(kind: .malformedCSV, line: lineNumber, column: stopColumn,
                                message: message, recoveredFields: recovered)
        position = segmentEnd
        if endsLine {
            startNextLine()
        } else {
            columnBase += segment.count
            skippingRestOfLine = true
        }
    }

    /// Goes back to the line after `quote`'s line (`QuoteRecovery.rewind`, `unread` being the rest
    /// of the current chunk) and reads on from its start. Returns the sentence to add to the
    /// issue, or nil when it cannot go back.
    private func rewind(to quote: OpenQuote, unread: UnsafeRawBufferPointer) throws(CSVFileError) -> String? {
        guard try quoteRecovery.rewind(input, to: quote, unread: unread) else { return nil }
        finished = false
        skippingRestOfLine = false
        position = input.count
        lineNumber = quote.line + 1
        columnBase = 0
        atLineStart = true
        pendingLFOfCRLF = quote.resumeAfterCR
        return "; reading resumed on line \(quote.line + 1)"
    }

    /// End of input: submit a last record without a final newline, or report a quote that was
    /// never closed and go back to read the lines it swallowed.
    private func finishInput() throws(CSVFileError) {
        finished = true
        if skippingRestOfLine {
            skippingRestOfLine = false
            return
        }
        if parser.finish(into: assembler) { return }
        let recovered = assembler.pointee.discardRecord()
        parser.reset()
        let quote = quoteRecovery.takeOpenQuote() ?? OpenQuote(line: lineNumber, column: nil)
        var message = "a quoted field opened here is never closed"
        if let resumed = try rewind(to: quote, unread: UnsafeRawBufferPointer(start: nil, count: 0)) {
            message += resumed
        } else if quote.resumeOffset != nil {
            message += "; the lines after it could not be read again (input cannot seek)"
        }
        pendingIssue = CSVIssue(kind: .malformedCSV, line: quote.line, column: quote.column,
                                message: message, recoveredFields: recovered)
    }

    private static func find(_ byte: UInt8, in base: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
        guard let found = memchr(base + start, Int32(byte), end - start) else { return end }
        return UnsafeRawPointer(found) - base
    }
}
