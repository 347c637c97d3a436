/// A quoted field still open at the end of a line. Usually a legitimate multi-line field; but
/// if the input ends before it closes, everything after its opening line was swallowed into it,
/// and the reader goes back to `resumeOffset` to read those lines again as records.
struct OpenQuote {
    /// Line and 1-based byte column of the opening quote (column nil when not known, e.g. the
    /// quote was in an earlier chunk of a very long line).
    var line: Int
    var column: Int?
    /// File offset of the line after the opening line; nil until that line has ended.
    var resumeOffset: Int?
    /// The opening line ended with a CR whose LF (if any) was not seen yet.
    var resumeAfterCR = false
    /// Bytes from `resumeOffset` on, kept only for input that cannot seek (nil once too many).
    var replay: [UInt8]?
}
