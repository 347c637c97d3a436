/// An encoding other than UTF-8 recognised from a file's first bytes, so the refusal can say
/// "save it as UTF-8" instead of pointing at garbled fields.
///
/// Spreadsheets' "Unicode text" exports are UTF-16 (with a byte-order mark, or without one, when
/// every ASCII character comes with a zero byte); UTF-32 is rare but recognised by its mark.
public enum ForeignEncoding: String, Sendable, Equatable {
    case utf16LittleEndian = "UTF-16 (little-endian)"
    case utf16BigEndian = "UTF-16 (big-endian)"
    case utf32LittleEndian = "UTF-32 (little-endian)"
    case utf32BigEndian = "UTF-32 (big-endian)"
    /// Excel's "CSV (Comma delimited)" on Windows and many older systems: one byte per character,
    /// so every accented name is a byte UTF-8 cannot read. Recognised from the file's opening
    /// chunk (see `singleByteEvidence(in:)`).
    case windows1252 = "Windows-1252 or Latin-1"

    /// The encoding the opening bytes show, or nil for UTF-8 (or anything else ASCII-compatible).
    public static func recognise<Bytes: Collection<UInt8>>(openingBytes bytes: Bytes) -> ForeignEncoding? {
        let b = Array(bytes.prefix(4))
        if b.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return .utf32LittleEndian }
        if b.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return .utf32BigEndian }
        if b.starts(with: [0xFF, 0xFE]) { return .utf16LittleEndian }
        if b.starts(with: [0xFE, 0xFF]) { return .utf16BigEndian }
        // No mark: UTF-16 of ASCII is every other byte NUL (two characters' worth is the evidence
        // asked for; a stray NUL in a UTF-8 field is a row's control_character, not this).
        guard b.count == 4 else { return nil }
        if b[0] != 0, b[1] == 0, b[2] != 0, b[3] == 0 { return .utf16LittleEndian }
        if b[0] == 0, b[1] != 0, b[2] == 0, b[3] != 0 { return .utf16BigEndian }
        return nil
    }

    /// What a person should do about it.
    public var refusal: String {
        switch self {
        case .windows1252:
            return "the file is not UTF-8: it looks like \(rawValue) (accented letters are single bytes); convert it, "
                + "e.g. iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE-utf8.csv, or save it from Excel as \"CSV UTF-8\""
        default:
            return "the file is \(rawValue), not UTF-8; save or export it as UTF-8 (in Excel: \"CSV UTF-8\")"
        }
    }

    /// A file's opening chunk must hold this many lines with bytes UTF-8 cannot read, and not one
    /// valid multi-byte UTF-8 character, before the file is taken for a single-byte encoding: one or two stray bytes in a
    /// UTF-8 export stay row errors (the rest of the night still runs), a Latin-1 export is
    /// refused once instead of as a wall of `invalid_utf8` rows.
    public static let singleByteEvidenceLines = 3

    /// The first lines (1-based, physical) of `bytes` (a file's opening chunk) holding a byte UTF-8
    /// cannot read, when there are at least `singleByteEvidenceLines` of them and no valid
    /// multi-byte UTF-8 character anywhere in it; nil otherwise (UTF-8, or not enough evidence).
    /// A sequence cut by the end of `bytes` is not judged.
    public static func singleByteEvidence(in bytes: UnsafeRawBufferPointer) -> [Int]? {
        var lines: [Int] = []
        var line = 1
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0x0A || (byte == 0x0D && (index + 1 == count || bytes[index + 1] != 0x0A)) { line += 1 }
                index += 1
                continue
            }
            let length: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; second = 0xA0...0xBF
            case 0xED: length = 3; second = 0x80...0x9F
            case 0xE1...0xEF: length = 3
            case 0xF0: length = 4; second = 0x90...0xBF
            case 0xF4: length = 4; second = 0x80...0x8F
            case 0xF1...0xF3: length = 4
            default: length = 0
            }
            if length > 0, index + length > count { break }
            let valid = length > 0 && second.contains(bytes[index + 1])
                && (2..<length).allSatisfy { (0x80...0xBF).contains(bytes[index + $0]) }
            if valid { return nil }  // UTF-8 evidence: a broken row elsewhere is that row's error
            if lines.last != line { lines.append(line) }
            index += 1
        }
        return lines.count >= singleByteEvidenceLines ? Array(lines.prefix(singleByteEvidenceLines)) : nil
    }
}
