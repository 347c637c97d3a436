/// Decides which fields must be quoted so that libcsv (and any RFC 4180 reader) reads them back
/// unchanged. Quoting only when needed keeps the output readable and diff-friendly.
enum FieldQuoting {
    /// A field needs quotes when it contains the delimiter, a quote, CR or LF, or when it starts
    /// or ends with a space or tab (libcsv trims those from unquoted fields). A record made of a
    /// single empty field is quoted too (`""`), since an empty line is read as no record at all,
    /// and so is a first field of the file starting with U+FEFF, which would be taken for a BOM.
    static func needsQuotes(
        _ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8, isLoneField: Bool, startsFile: Bool
    ) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return isLoneField }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        if startsFile, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return true }
        return holdsSpecialByte(bytes, delimiter: delimiter)
    }

    /// Whether `bytes` hold the delimiter, a quote, LF or CR; looked for 8 bytes at a time, as
    /// every field of every results line is scanned (a word has a byte equal to `b` when
    /// `word ^ (b * 0x0101…)` has a zero byte, and `(x - 0x0101…) & ~x & 0x8080…` is non-zero
    /// exactly when `x` has one).
    static func holdsSpecialByte(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x }
        func holdsOne(_ word: UInt64) -> Bool {
            let found = hasZeroByte(word ^ (UInt64(delimiter) &* ones)) | hasZeroByte(word ^ (0x22 &* ones))
                | hasZeroByte(word ^ (0x0A &* ones)) | hasZeroByte(word ^ (0x0D &* ones))
            return found & highBits != 0
        }
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 8 <= raw.count {
            if holdsOne(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return true }
            offset += 8
        }
        // A field of 8 bytes or more ends with the word of its last 8, overlapping the one before.
        if offset < raw.count, raw.count >= 8 {
            return holdsOne(raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self))
        }
        while offset < raw.count {
            let byte = raw[offset]
            if byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
            offset += 1
        }
        return false
    }
}
