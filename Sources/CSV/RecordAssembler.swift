#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Receives the fields libcsv hands to its callbacks and turns each finished record into a
/// `CSVRecord`, or into a `CSVIssue` when a field is too long or not UTF-8, or when the field
/// count differs from the header's.
///
/// Field strings are built straight from libcsv's buffer (which it reuses), and the field array
/// keeps its capacity between records, so a record costs little more than its strings. It is a
/// struct the reader keeps behind a pointer: libcsv's callbacks then reach it without reference
/// counting or exclusivity checks, which matter at millions of fields a second.
struct RecordAssembler {
    private let maxFieldBytes: Int
    private let enforceFieldCount: Bool
    /// Field count of the first record (the header), once seen.
    private(set) var expectedFieldCount: Int?
    /// Set by the reader before feeding the line on which a record begins.
    var recordStartLine = 1
    /// Set by the reader when it had to cut the field being parsed short to bound memory.
    var pendingFieldWasCapped = false

    private var fields: [String] = []
    /// When set (by `CSVReader.nextRaw`), fields are kept as bytes in `rawBytes`, ending at the
    /// offsets in `rawEnds`, instead of as strings in `fields`; a finished record is then
    /// announced by `completedRawLine`.
    var keepsRawFields = false
    /// Raw storage is managed by hand (freed by `deallocateRawStorage()`), since array appends
    /// checked uniqueness twice per field: never copy an assembler that owns it.
    private var rawBytes: UnsafeMutablePointer<UInt8>
    private var rawByteCapacity = 1024
    private var rawByteCount = 0
    private var rawEnds: UnsafeMutablePointer<Int>
    private var rawEndCapacity = 16
    private var rawFieldCount = 0
    private var completedRawLine: Int?
    private var recordIsOpen = false
    private var fieldProblem: (kind: CSVIssue.Kind, field: Int, message: String)?
    private var completed: Result<CSVRecord, CSVIssue>?

    init(maxFieldBytes: Int, enforceFieldCount: Bool) {
        precondition(maxFieldBytes > 0, "maxFieldBytes must be positive")
        self.maxFieldBytes = maxFieldBytes
        self.enforceFieldCount = enforceFieldCount
        fields.reserveCapacity(16)
        rawBytes = .allocate(capacity: rawByteCapacity)
        rawEnds = .allocate(capacity: rawEndCapacity)
    }

    /// The record finished by the last `endRecord()`, if not taken yet.
    mutating func takeCompleted() -> Result<CSVRecord, CSVIssue>? {
        defer { completed = nil }
        return completed
    }

    /// The line of the raw record finished by the last `endRecord()`, if not taken yet.
    mutating func takeCompletedRawLine() -> Int? {
        defer { completedRawLine = nil }
        return completedRawLine
    }

    /// The finished raw record's fields, valid until the next field is appended. A property and
    /// not a method taking a closure: called through the reader's pointer with a closure the
    /// compiler cannot see into, a method copied the whole assembler at every record (it could
    /// not prove the closure leaves the pointee alone).
    var rawFields: CSVRawFields {
        CSVRawFields(bytes: UnsafeBufferPointer(start: rawBytes, count: rawByteCount),
                     ends: UnsafeBufferPointer(start: rawEnds, count: rawFieldCount))
    }

    private var fieldCount: Int { keepsRawFields ? rawFieldCount : fields.count }

    mutating func appendField(_ bytes: UnsafeRawBufferPointer) {
        if !recordIsOpen { openRecord() }
        let fieldNumber = fieldCount + 1
        var bytes = bytes
        if bytes.count > maxFieldBytes || pendingFieldWasCapped {
            pendingFieldWasCapped = false
            bytes = UnsafeRawBufferPointer(rebasing: bytes[..<Self.cutPoint(of: bytes, limit: maxFieldBytes)])
            noteProblem(.fieldTooLong, field: fieldNumber,
                        message: "field \(fieldNumber) is longer than \(maxFieldBytes) bytes; it was truncated")
        }
        if keepsRawFields {
            appendRaw(bytes)
            if !Self.isASCII(bytes), Self.string(fromUTF8: bytes) == nil {
                noteProblem(.invalidUTF8, field: fieldNumber,
                            message: "field \(fieldNumber) is not valid UTF-8; invalid bytes were replaced with U+FFFD")
            }
        } else if let text = Self.string(fromUTF8: bytes) {
            fields.append(text)
        } else {
            fields.append(String(decoding: bytes, as: UTF8.self))
            noteProblem(.invalidUTF8, field: fieldNumber,
                        message: "field \(fieldNumber) is not valid UTF-8; invalid bytes were replaced with U+FFFD")
        }
    }

    mutating func endRecord() {
        if !recordIsOpen { openRecord() }
        recordIsOpen = false
        let line = recordStartLine
        let count = fieldCount
        if let problem = fieldProblem {
            completed = .failure(CSVIssue(kind: problem.kind, line: line, column: problem.field,
                                          message: problem.message, recoveredFields: fieldStrings))
        } else if enforceFieldCount, let expected = expectedFieldCount, expected != count {
            completed = .failure(CSVIssue(
                kind: .wrongFieldCount, line: line, column: nil,
                message: "expected \(expected) fields (as in the header), got \(count)",
                recoveredFields: fieldStrings))
        } else if keepsRawFields {
            completedRawLine = line
        } else {
            completed = .success(CSVRecord(line: line, fields: fields))
        }
        if expectedFieldCount == nil { expectedFieldCount = count }
    }

    /// Drops the record being assembled (after a parse error) and returns its complete fields,
    /// so the issue can still show what was readable.
    mutating func discardRecord() -> [String] {
        let recovered = recordIsOpen ? fieldStrings : []
        recordIsOpen = false
        pendingFieldWasCapped = false
        fieldProblem = nil
        return recovered
    }

    private mutating func openRecord() {
        // Emptied only now, when the caller has usually released the previous record, so the
        // storage is uniquely referenced and its capacity is kept without a new allocation.
        if !fields.isEmpty { fields.removeAll(keepingCapacity: true) }
        rawByteCount = 0
        rawFieldCount = 0
        fieldProblem = nil
        recordIsOpen = true
    }

    /// Frees the raw field storage; the owner calls it once, before dropping the assembler.
    mutating func deallocateRawStorage() {
        rawBytes.deallocate()
        rawEnds.deallocate()
    }

    private mutating func appendRaw(_ bytes: UnsafeRawBufferPointer) {
        if rawByteCount + bytes.count > rawByteCapacity {
            let capacity = max(2 * rawByteCapacity, rawByteCount + bytes.count)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: rawBytes, count: rawByteCount)
            rawBytes.deallocate()
            rawBytes = grown
            rawByteCapacity = capacity
        }
        if let source = bytes.baseAddress {
            UnsafeMutableRawPointer(rawBytes + rawByteCount).copyMemory(from: source, byteCount: bytes.count)
        }
        rawByteCount += bytes.count
        if rawFieldCount == rawEndCapacity {
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: 2 * rawEndCapacity)
            grown.update(from: rawEnds, count: rawFieldCount)
            rawEnds.deallocate()
            rawEnds = grown
            rawEndCapacity *= 2
        }
        rawEnds[rawFieldCount] = rawByteCount
        rawFieldCount += 1
    }

    /// The record's fields as strings, whichever way they were kept (invalid UTF-8 repaired).
    private var fieldStrings: [String] {
        guard keepsRawFields else { return fields }
        let raw = rawFields
        return (0..<raw.count).map { String(decoding: raw[$0], as: UTF8.self) }
    }

    /// Eight bytes at a time (`WordwiseScan`): every field of every record comes through here,
    /// on `validate`'s reading thread, and a byte loop was a tenth of that thread's own work.
    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        WordwiseScan.isASCII(bytes.assumingMemoryBound(to: UInt8.self))
    }

    private mutating func noteProblem(_ kind: CSVIssue.Kind, field: Int, message: String) {
        if fieldProblem == nil { fieldProblem = (kind, field, message) }
    }

    /// The string for `bytes`, or nil when they are not valid UTF-8.
    ///
    /// libcsv NUL-terminates each field (`CSV_APPEND_NULL`), which allows the fast C-string
    /// validation (3-4 times faster than `String(validating:as:)` here). A field with an embedded
    /// NUL comes out shorter and takes the slow path: decode with repair, then check nothing was
    /// repaired (the output is always valid UTF-8, so it equals the input only if that was valid).
    static func string(fromUTF8 bytes: UnsafeRawBufferPointer) -> String? {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return "" }
        if let text = String(validatingCString: start.assumingMemoryBound(to: CChar.self)),
           text.utf8.count == bytes.count {
            return text
        }
        var text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count == bytes.count else { return nil }
        let unchanged = text.withUTF8 { decoded in memcmp(decoded.baseAddress!, start, bytes.count) == 0 }
        return unchanged ? text : nil
    }

    /// Where to cut `bytes` to at most `limit` bytes without splitting a UTF-8 sequence.
    static func cutPoint(of bytes: UnsafeRawBufferPointer, limit: Int) -> Int {
        guard bytes.count > limit else { return bytes.count }
        var cut = limit
        // A continuation byte (10xxxxxx) right after the cut means a character straddles it.
        while cut > 0, limit - cut < 3, bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        return bytes[cut] & 0xC0 == 0x80 ? limit : cut
    }
}
