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
        let ones = WordwiseScan.ones
        func hasZeroByte(_ x: UInt64) -> UInt64 { (x &- ones) & ~x }
        return WordwiseScan.contains(bytes) { word in
            let found = hasZeroByte(word ^ (UInt64(delimiter) &* ones)) | hasZeroByte(word ^ (0x22 &* ones))
                | hasZeroByte(word ^ (0x0A &* ones)) | hasZeroByte(word ^ (0x0D &* ones))
            return found & WordwiseScan.highBits != 0
        } byte: { byte in
            byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D
        }
    }
}
