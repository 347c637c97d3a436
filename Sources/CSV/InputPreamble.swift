/// What the first bytes of an input settle before its records are read: a UTF-8 byte-order mark
/// to drop, an encoding other than UTF-8 to name in the refusal, and (with `.detect`) the field
/// delimiter to parse with.
///
/// Kept apart from the reader's line loop because all of it looks at the opening bytes only, yet
/// each must cope with a pipe's short reads: the mark may come split across reads, and the header
/// line the delimiter is chosen from may arrive in pieces. The reader hands it every chunk and
/// acts on what it says; after the opening, a chunk costs it a flag test or two.
struct InputPreamble {
    /// The UTF-8 byte-order mark.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A non-UTF-8 encoding recognised from the first bytes of the input (see `ForeignEncoding`).
    private(set) var foreignEncoding: ForeignEncoding?
    /// For `.windows1252`: the first lines that showed it, for the refusal.
    private(set) var foreignEncodingLines: [Int] = []
    private var byteOrderMarkBytesSeen = 0
    private var atStartOfInput = true
    /// With `.detect`, the first line's count until the choice is made.
    private var detection: CSVDelimiter.Detection?

    /// What the reader does with a chunk once the preamble has looked at it.
    struct Opening {
        /// Bytes at the start of the chunk that belong to the byte-order mark: not parsed.
        var markBytes = 0
        /// How many bytes of `byteOrderMark` turned out to be data (the next byte differs from the
        /// mark's): they are parsed before the chunk's own bytes from `markBytes` on.
        var falseMarkBytes = 0
        /// The delimiter just chosen from the header line, to parse with from here on.
        var chosenDelimiter: UInt8?
    }

    /// - Parameter detectsDelimiter: choose the delimiter from the first line (`.detect`).
    init(detectsDelimiter: Bool) {
        detection = detectsDelimiter ? CSVDelimiter.Detection() : nil
    }

    /// Looks at the next chunk of input (`chunk`, all of its valid bytes).
    mutating func open(_ chunk: UnsafeRawBufferPointer) -> Opening {
        var opening = Opening()
        if atStartOfInput {
            // The first read: a pipe may hand over fewer than 4 bytes, and then only a mark is seen.
            if byteOrderMarkBytesSeen == 0, chunk.count >= 2 {
                foreignEncoding = ForeignEncoding.recognise(openingBytes: UnsafeRawBufferPointer(rebasing: chunk[0..<min(4, chunk.count)]))
            }
            skipByteOrderMark(in: chunk, into: &opening)
            if foreignEncoding == nil, byteOrderMarkBytesSeen == 0,
               let lines = ForeignEncoding.singleByteEvidence(in: chunk) {
                foreignEncoding = .windows1252
                foreignEncodingLines = lines
            }
        }
        if var pending = detection, opening.markBytes < chunk.count {
            // The header line. A pipe's read may hold only part of it: bytes without any
            // candidate parse the same whatever the choice, so the choice waits for more; once a
            // candidate is among the bytes about to be parsed, or the line is complete, it is made.
            pending.scan(UnsafeRawBufferPointer(rebasing: chunk[opening.markBytes...]))
            if pending.isComplete || pending.hasSeenCandidate {
                detection = nil
                opening.chosenDelimiter = pending.choice
            } else {
                detection = pending
            }
        }
        return opening
    }

    /// Drops a UTF-8 BOM, even when short reads split it across chunks.
    private mutating func skipByteOrderMark(in chunk: UnsafeRawBufferPointer, into opening: inout Opening) {
        let mark = Self.byteOrderMark
        while opening.markBytes < chunk.count, byteOrderMarkBytesSeen < mark.count {
            guard chunk[opening.markBytes] == mark[byteOrderMarkBytesSeen] else {
                // Not a BOM after all: the bytes matched so far are data.
                atStartOfInput = false
                opening.falseMarkBytes = byteOrderMarkBytesSeen
                return
            }
            byteOrderMarkBytesSeen += 1
            opening.markBytes += 1
        }
        if byteOrderMarkBytesSeen == mark.count { atStartOfInput = false }
    }
}
