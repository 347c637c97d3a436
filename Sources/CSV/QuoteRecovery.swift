/// Keeps track of a quoted field left open across line breaks, and takes the input back to the
/// line after its opening quote when that quote turns out to be the culprit: the input ends
/// before it closes, or a malformed quote stops the parser while it is open.
///
/// An unbalanced quote swallows every line after it into one field until another quote turns up,
/// so reporting only where parsing stopped would hide those lines' records. Kept apart from the
/// reader's line loop, which only tells it what each line did and asks it to go back: on a file
/// it seeks, on a pipe it replays the bytes it kept since that line (up to a bound, so a quote
/// that never closes cannot make memory grow with the input).
struct QuoteRecovery {
    /// The quoted field open at the end of the last line fed, if any.
    private var openQuote: OpenQuote?
    /// Most bytes kept for a replay; beyond it a pipe's lines cannot be read again.
    private let replayLimit: Int
    private let quoteByte = UInt8(ascii: "\"")

    /// - Parameter maxFieldBytes: the reader's; a quote open longer than a few such fields has
    ///   swallowed lines.
    init(maxFieldBytes: Int) {
        replayLimit = max(16 * 1024 * 1024, 4 * maxFieldBytes)
    }

    /// `segment` was parsed and left the parser inside a quoted field: note where that quote opened.
    /// `line` and `columnBase` are the segment's line and the bytes of that line before it.
    mutating func noteStillOpen(after segment: UnsafeRawBufferPointer, wasInsideQuote: Bool, line: Int, columnBase: Int) {
        // In strict mode quotes only open a field, close it, or come doubled, so toggling on each
        // quote finds the quote that opened the still-open field, if it is in this segment.
        var inside = wasInsideQuote
        var openedAt: Int?
        for index in segment.indices where segment[index] == quoteByte {
            inside.toggle()
            if inside { openedAt = index }
        }
        if let openedAt {
            openQuote = OpenQuote(line: line, column: columnBase + openedAt + 1)
        } else if openQuote == nil {
            openQuote = OpenQuote(line: line, column: nil)
        }
    }

    /// A line ended inside the open quote: the first time, the next line (starting at file offset
    /// `nextLineOffset`) is where reading would resume, and from there bytes are kept for input
    /// that cannot seek. `afterCR`: the line ended with a CR whose LF (if any) was not seen yet.
    mutating func noteLineEndedInside(nextLineOffset: Int, afterCR: Bool, inputIsSeekable: Bool) {
        guard openQuote!.resumeOffset == nil else { return }
        openQuote!.resumeOffset = nextLineOffset
        openQuote!.resumeAfterCR = afterCR
        if !inputIsSeekable { openQuote!.replay = [] }
    }

    /// A line ended outside quotes: the record ended, any open quote was closed.
    mutating func noteLineEndedOutside() {
        openQuote = nil
    }

    /// Bytes just parsed, kept while an open quote keeps them for a replay.
    mutating func keep(_ bytes: UnsafeRawBufferPointer) {
        guard openQuote?.replay != nil else { return }
        if openQuote!.replay!.count + bytes.count > replayLimit {
            openQuote!.replay = nil
        } else {
            openQuote!.replay!.append(contentsOf: bytes)
        }
    }

    /// The open quote, forgotten (the parser is being reset).
    mutating func takeOpenQuote() -> OpenQuote? {
        defer { openQuote = nil }
        return openQuote
    }

    /// Makes `input`'s next reads start at the line after `quote`'s line: seeks in a file, or
    /// replays the bytes kept since then plus `unread` (the rest of the current chunk) for a pipe.
    /// False when it cannot go back (that line had not ended, or too much was kept).
    func rewind(_ input: ChunkedInput, to quote: OpenQuote, unread: UnsafeRawBufferPointer) throws(CSVFileError) -> Bool {
        guard let resumeOffset = quote.resumeOffset else { return false }
        if input.isSeekable {
            try input.seek(to: resumeOffset)
        } else if var replay = quote.replay {
            replay.append(contentsOf: unread)
            input.replay(replay, startingAt: resumeOffset)
        } else {
            return false
        }
        return true
    }
}
