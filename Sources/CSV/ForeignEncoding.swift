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
        "the file is \(rawValue), not UTF-8; save or export it as UTF-8 (in Excel: \"CSV UTF-8\")"
    }
}
