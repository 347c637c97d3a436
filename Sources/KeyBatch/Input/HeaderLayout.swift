import CSV

/// Where each known column sits in a CSV file, found by name in the header row.
///
/// Names match case-insensitively, with surrounding spaces trimmed and `_`, `-` and inner spaces
/// ignored, so `reservation_id`, `reservationID` (Seam's guide) and `Reservation ID` are one column.
public struct HeaderLayout: Sendable {
    /// Canonical (snake_case) name to 0-based field index.
    public let indices: [String: Int]
    /// The required columns' indices, each known to be there (the initializer throws otherwise).
    public let required: RequiredColumns
    /// Header names that matched no known column, as written in the file.
    public let unknownColumns: [String]
    /// The header as written, for messages that name a column.
    public let names: [String]

    /// - Throws: `InputFileError` naming the required columns that are missing, and every column
    ///   the file does have, so a person can see the mismatch at a glance.
    /// - Parameter splitBy: the reader the header came from, so a mismatch can say which delimiter
    ///   split it and whether it was detected (the usual cause: a file in another convention).
    public init(header: [String], required: [String], optional: [String], file: String, line: Int,
                splitBy reader: CSVReader? = nil) throws(InputFileError) {
        var lookup: [String: String] = [:]
        for name in required + optional { lookup[HeaderLayout.key(name)] = name }
        var indices: [String: Int] = [:]
        var unknown: [String] = []
        for (index, raw) in header.enumerated() {
            if let canonical = lookup[HeaderLayout.key(raw)], indices[canonical] == nil {
                indices[canonical] = index
            } else {
                unknown.append(raw.trimmingBlanks())
            }
        }
        let missing = required.filter { indices[$0] == nil }
        guard missing.isEmpty else {
            let expected = required.joined(separator: ", ") + (optional.isEmpty ? "" : " (optional: \(optional.joined(separator: ", ")))")
            var split = ""
            if let reader {
                let how = reader.detectsDelimiter ? "detected from the header line" : "the delimiter given"
                split = " (\(header.count) column\(header.count == 1 ? "" : "s") split on \(CSVDelimiter.name(reader.delimiter)), \(how))"
            }
            throw InputFileError(
                file: file, line: line, column: nil,
                reason: "missing required column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); "
                    + "expected \(expected); found \(HeaderLayout.brief(header.map { $0.trimmingBlanks() }))\(split)"
            )
        }
        self.indices = indices
        self.required = RequiredColumns(indices.filter { required.contains($0.key) })
        self.unknownColumns = unknown
        self.names = header.map { $0.trimmingBlanks() }
    }

    /// The indices of the columns a file must have: `layout.required["reservation_id"]` is an
    /// index, not an optional, because a header without the column never made a layout. Asking
    /// for a column the layout was not told is required is a programming error, and says so.
    public struct RequiredColumns: Sendable {
        private let indices: [String: Int]

        init(_ indices: [String: Int]) {
            self.indices = indices
        }

        public subscript(name: String) -> Int {
            guard let index = indices[name] else {
                preconditionFailure("\(name) is not one of the required columns \(indices.keys.sorted())")
            }
            return index
        }
    }

    /// Unknown columns, listed as `brief` lists them.
    public var unknownColumnsBrief: String { Self.brief(unknownColumns) }

    /// Column names for a message: the first dozen, each cut at 40 characters, then how many more.
    /// A 10,000-column export would otherwise print one line of tens of kilobytes.
    static func brief(_ names: [String], limit: Int = 12, width: Int = 40) -> String {
        let shown = names.prefix(limit).map { $0.count > width ? String($0.prefix(width - 1)) + "…" : $0 }
        let rest = names.count - shown.count
        return shown.joined(separator: ", ") + (rest > 0 ? " and \(rest) more" : "")
    }

    static func key(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { !" \t_-".unicodeScalars.contains($0) })
    }
}

extension String {
    /// Trims spaces and tabs; returns self without copying in the common case of nothing to trim.
    /// Looks at the UTF-8 bytes in place (every row's every cell goes through here).
    func trimmingBlanks() -> String {
        let range: Range<Int>? = utf8.withContiguousStorageIfAvailable { Self.unblankedRange(of: $0) }
            ?? Array(utf8).withUnsafeBufferPointer { Self.unblankedRange(of: $0) }
        guard let range else { return self }
        let utf8 = self.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
        return String(self[start..<end])
    }

    /// The range without leading and trailing blanks, or nil when there is nothing to trim.
    private static func unblankedRange(of bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.first, let last = bytes.last, blank(first) || blank(last) else { return nil }
        var start = 0
        var end = bytes.count
        while start < end, blank(bytes[start]) { start += 1 }
        while end > start, blank(bytes[end - 1]) { end -= 1 }
        return start..<end
    }
}
