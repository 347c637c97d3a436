import CSV
import Testing

/// `validate` writes its rows' values from the bytes it read (`appendField(_: UnsafeBufferPointer<UInt8>)`):
/// the line must be the one the string path writes, with the same quoting and formula guard.
@Suite struct CSVWriterBytesTests {
    static let fields = ["plain", "", "a,b", "say \"hi\"", "two\nlines", " lead", "trail\t", "=1+1", "+49 1", "-5", "@x", "\tx", "\rx",
                         "'quoted", "\u{FEFF}bom", "ünï", "=a,\"b\"", "-", String(repeating: "\"", count: 300), "🚀"]

    private func written(neutraliseFormulas: Bool, lineEnding: CSVWriter.LineEnding, _ append: (CSVWriter, String) throws -> Void) throws -> [UInt8] {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let writer = try CSVWriter(path: files.path("out.csv"), lineEnding: lineEnding, neutraliseFormulas: neutraliseFormulas)
        // Each field first in a record (the file's first field included), then all in one record.
        for field in Self.fields {
            try append(writer, field)
            try writer.endRecord()
        }
        for field in Self.fields { try append(writer, field) }
        try writer.endRecord()
        try writer.close()
        return try files.bytes("out.csv")
    }

    @Test(arguments: [true, false], [CSVWriter.LineEnding.crlf, .lf])
    func bytesAreWrittenAsTheirString(neutraliseFormulas: Bool, lineEnding: CSVWriter.LineEnding) throws {
        let fromStrings = try written(neutraliseFormulas: neutraliseFormulas, lineEnding: lineEnding) { try $0.appendField($1) }
        let fromBytes = try written(neutraliseFormulas: neutraliseFormulas, lineEnding: lineEnding) { writer, field in
            var field = field
            try field.withUTF8 { try writer.appendField($0) }
        }
        #expect(fromBytes == fromStrings)
    }

    /// `writeRecord` (a number, four byte fields, empty fields, in one call) writes the line the
    /// per-field calls write, for every field in each of its four places, any number and count of
    /// empty fields, and a buffer too small for the record at first (it must flush, then grow).
    @Test(arguments: [true, false], [CSVWriter.LineEnding.crlf, .lf])
    func wholeRecordIsWrittenAsItsFields(neutraliseFormulas: Bool, lineEnding: CSVWriter.LineEnding) throws {
        let numbers = [0, 7, 1_234_567, Int.max, -3]
        let huge = String(repeating: "\"x", count: 70_000)
        func written(_ write: (CSVWriter, Int, [String], Int) throws -> Void) throws -> [UInt8] {
            let files = try TemporaryCSV()
            defer { files.remove() }
            let writer = try CSVWriter(path: files.path("out.csv"), lineEnding: lineEnding, neutraliseFormulas: neutraliseFormulas)
            for (index, field) in (Self.fields + [huge]).enumerated() {
                for place in 0..<4 {
                    var four = ["a", "b", "", "c"]
                    four[place] = field
                    try write(writer, numbers[(index + place) % numbers.count], four, (index + place) % 3)
                }
            }
            try writer.close()
            return try files.bytes("out.csv")
        }
        let perField = try written { writer, number, four, empty in
            try writer.appendField(number)
            for field in four { try writer.appendField(field) }
            for _ in 0..<empty { try writer.appendField("") }
            try writer.endRecord()
        }
        let whole = try written { writer, number, four, empty in
            let bytes = four.map { Array($0.utf8) }
            try bytes[0].withUnsafeBufferPointer { a in
                try bytes[1].withUnsafeBufferPointer { b in
                    try bytes[2].withUnsafeBufferPointer { c in
                        try bytes[3].withUnsafeBufferPointer { d in
                            try writer.writeRecord(number: number, a, b, c, d, emptyFields: empty)
                        }
                    }
                }
            }
        }
        #expect(whole == perField)
    }

    /// A field is quoted exactly when it holds the delimiter, a quote, LF or CR (looked for a word
    /// at a time, the last 8 as one word): each byte value at each place of fields of 9, 13 and
    /// 24 bytes, both sides of a word's edge and in the overlapping last word.
    @Test(arguments: [9, 13, 24]) func quotesExactlyTheFieldsWithASpecialByte(length: Int) throws {
        let specials: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "\""), 0x0A, 0x0D]
        let files = try TemporaryCSV()
        defer { files.remove() }
        for place in 1..<(length - 1) {
            for value in UInt8(1)...UInt8(255) {
                var field = Array("abcdefghijklmnopqrstuvwx".utf8.prefix(length))
                field[place] = value
                let writer = try CSVWriter(path: files.path("one.csv"), lineEnding: .lf, neutraliseFormulas: false)
                try field.withUnsafeBufferPointer { try writer.appendField($0) }
                try writer.endRecord()
                try writer.close()
                let quoted = try files.bytes("one.csv").first == UInt8(ascii: "\"")
                #expect(quoted == specials.contains(value), "byte \(value) at \(place)")
            }
        }
    }
}
