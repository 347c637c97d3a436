/// How a reader splits fields: a byte given by the user, or one chosen from the file's first line.
///
/// Exports come with commas from one system, semicolons from a European one (where the comma is
/// the decimal mark), tabs from Excel's "Text" and pipes from a few PMSs, and the person running
/// a job rarely knows which. The header line says: it is made of column names, so the delimiter
/// is by far its most frequent separator character outside quotes.
public enum CSVDelimiter: Sendable, Hashable {
    case byte(UInt8)
    /// The most frequent of `,` `;` tab `|` outside quotes on the first non-blank line; `,` when
    /// none appears (a one-column file), and on a tie the earlier in that list.
    case detect

    public static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// The delimiter `bytes` (the start of a file) suggest; only their first non-blank line counts.
    public static func detect(in bytes: UnsafeRawBufferPointer) -> UInt8 {
        var detection = Detection()
        detection.scan(bytes)
        return detection.choice
    }

    /// How a message names a delimiter: `','`, `';'`, `tab`, `'|'`.
    public static func name(_ byte: UInt8) -> String {
        byte == UInt8(ascii: "\t") ? "tab" : "'\(String(UnicodeScalar(byte)))'"
    }

    /// Counting over the first line as it arrives, possibly in several reads (a pipe).
    public struct Detection: Sendable {
        private var counts = [Int](repeating: 0, count: CSVDelimiter.candidates.count)
        private var insideQuotes = false
        private var seenContent = false
        /// The first line has ended (further bytes are not looked at).
        public private(set) var isComplete = false

        public init() {}

        /// Counts the candidates in `bytes` up to the end of the first non-blank line.
        public mutating func scan(_ bytes: UnsafeRawBufferPointer) {
            guard !isComplete else { return }
            for byte in bytes {
                if byte == 0x0A || byte == 0x0D {
                    if seenContent && !insideQuotes {
                        isComplete = true
                        break
                    }
                    continue
                }
                seenContent = true
                if byte == UInt8(ascii: "\"") {
                    insideQuotes.toggle()
                } else if !insideQuotes, let index = CSVDelimiter.candidates.firstIndex(of: byte) {
                    counts[index] += 1
                }
            }
        }

        /// Some candidate has been seen outside quotes: bytes scanned so far cannot be parsed
        /// before the choice is made.
        public var hasSeenCandidate: Bool { counts.contains { $0 > 0 } }

        /// The choice on what has been scanned.
        public var choice: UInt8 {
            // `max(by:)` keeps the first of equal elements: a tie goes to the earlier candidate.
            guard let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] > 0 else { return UInt8(ascii: ",") }
            return CSVDelimiter.candidates[best]
        }
    }
}
