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
        for byte in bytes where byte == delimiter || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            return true
        }
        return false
    }
}
