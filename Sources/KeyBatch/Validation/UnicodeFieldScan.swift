/// The rule for non-ASCII characters that are not text, over a field's UTF-8 bytes: what the
/// ASCII control-character rule is for bytes below 0x20, for the rest of Unicode.
///
/// - In every column KeyBatch uses: the C1 controls (U+0080–U+009F, among them U+0085, the "next
///   line", and U+009B, a terminal's escape introducer) and the line and paragraph separators
///   U+2028 and U+2029 (line breaks that a spreadsheet does not show as such).
/// - In the columns Seam gets as names (`guest_name`, the identity's `full_name`, and
///   `reservation_id`, the ACS user's `full_name`): bidirectional controls (U+061C, U+200E,
///   U+200F, U+202A–U+202E, U+2066–U+2069), which make a name display in another order than it
///   is stored (`C-bidi\u{202E}gnp.exe` shows as `C-bidiexe.png`), and zero-width characters
///   (U+200B–U+200D, U+2060, U+FEFF), which make two names that look the same differ. They are
///   refused, not stripped: the row is the reservation system's, and a name that is quietly changed
///   no longer matches it.
///
/// Only fields with a byte of 0x80 or above get here (ASCII ones are decided word-wise by
/// `ReservationValidator.mayHoldControlCharacter`), and only the lead bytes 0xC2, 0xD8, 0xE2 and 0xEF
/// can start one of these characters, so the scan looks at three more bytes at most after one of
/// them. The bytes are valid UTF-8 (the CSV reader refuses the rest).
enum UnicodeFieldScan {
    enum Kind: Equatable {
        case c1Control, lineSeparator, paragraphSeparator, bidiControl, zeroWidth

        /// The row error's code: C1 controls and separators are control characters like the ASCII
        /// ones; bidi and zero-width characters are format characters, refused in names only.
        var code: RowErrorCode {
            switch self {
            case .c1Control, .lineSeparator, .paragraphSeparator: .controlCharacter
            case .bidiControl, .zeroWidth: .formatCharacter
            }
        }

        var name: String {
            switch self {
            case .c1Control: "the control character"
            case .lineSeparator: "the line separator"
            case .paragraphSeparator: "the paragraph separator"
            case .bidiControl: "the bidirectional control"
            case .zeroWidth: "the zero-width character"
            }
        }
    }

    struct Finding: Equatable {
        var scalar: UInt32
        var kind: Kind

        /// `U+202E`, as the message and the README name it.
        var codePoint: String {
            let hex = String(scalar, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }

    /// The first character of `bytes` the rule refuses, or nil. `inName` adds the bidi and
    /// zero-width characters to the C1 controls and separators.
    static func firstRefused(in bytes: UnsafeBufferPointer<UInt8>, inName: Bool) -> Finding? {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0xC2 {
                index += 1
                continue
            }
            let second: UInt8 = index + 1 < count ? bytes[index + 1] : 0
            let third: UInt8 = index + 2 < count ? bytes[index + 2] : 0
            switch lead {
            case 0xC2 where second >= 0x80 && second <= 0x9F:
                return Finding(scalar: UInt32(second), kind: .c1Control)
            case 0xD8 where inName && second == 0x9C:
                return Finding(scalar: 0x061C, kind: .bidiControl)
            case 0xE2 where second == 0x80 || second == 0x81:
                let scalar = 0x2000 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
                if let kind = kind(ofGeneralPunctuation: scalar, inName: inName) { return Finding(scalar: scalar, kind: kind) }
            case 0xEF where inName && second == 0xBB && third == 0xBF:
                return Finding(scalar: 0xFEFF, kind: .zeroWidth)
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// U+2000–U+207F, the block most of these characters live in.
    private static func kind(ofGeneralPunctuation scalar: UInt32, inName: Bool) -> Kind? {
        switch scalar {
        case 0x2028: .lineSeparator
        case 0x2029: .paragraphSeparator
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: inName ? .bidiControl : nil
        case 0x200B...0x200D, 0x2060: inName ? .zeroWidth : nil
        default: nil
        }
    }
}
