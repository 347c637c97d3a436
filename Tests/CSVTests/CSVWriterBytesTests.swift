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
}
