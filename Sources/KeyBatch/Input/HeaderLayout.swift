/// Where each known column sits in a CSV file, found by name in the header row.
///
/// Names match case-insensitively, with surrounding spaces trimmed and `_`, `-` and inner spaces
/// ignored, so `reservation_id`, `reservationId` (Seam's guide) and `Reservation ID` are one column.
public struct HeaderLayout: Sendable {
    /// Canonical (snake_case) name to 0-based field index.
    public let indices: [String: Int]
    /// Header names that matched no known column, as written in the file.
    public let unknownColumns: [String]
    /// The header as written, for messages that name a column.
    public let names: [String]

    /// - Throws: `InputFileError` naming the required columns that are missing, and every column
    ///   the file does have, so a person can see the mismatch at a glance.
    public init(header: [String], required: [String], optional: [String], file: String, line: Int) throws(InputFileError) {
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
            throw InputFileError(
                file: file, line: line, column: nil,
                reason: "missing required column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); "
                    + "expected \(required.joined(separator: ", ")) (optional: \(optional.joined(separator: ", "))); "
                    + "found \(header.map { $0.trimmingBlanks() }.joined(separator: ", "))"
            )
        }
        self.indices = indices
        self.unknownColumns = unknown
        self.names = header.map { $0.trimmingBlanks() }
    }

    static func key(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { !" \t_-".unicodeScalars.contains($0) })
    }
}

extension String {
    /// Trims spaces and tabs; returns self without copying in the common case of nothing to trim.
    func trimmingBlanks() -> String {
        guard let first = utf8.first, let last = utf8.last else { return self }
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        if !blank(first) && !blank(last) { return self }
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, blank(bytes[start]) { start += 1 }
        while end > start, blank(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
