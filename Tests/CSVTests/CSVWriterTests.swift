import CSV
import Testing

@Suite struct CSVWriterTests {
    private func written(
        _ records: [[String]], lineEnding: CSVWriter.LineEnding = .lf, neutraliseFormulas: Bool = false
    ) throws -> String {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let writer = try CSVWriter(path: files.path("out.csv"), lineEnding: lineEnding,
                                   neutraliseFormulas: neutraliseFormulas)
        for record in records { try writer.write(record) }
        try writer.close()
        return String(decoding: try files.bytes("out.csv"), as: UTF8.self)
    }

    @Test func quotesOnlyFieldsThatNeedIt() throws {
        let output = try written([["plain", "a,b", "say \"hi\"", "two\nlines", " lead", "trail\t", "cr\rhere", "", "mid space", "ünï"]])
        #expect(output == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" lead\",\"trail\t\",\"cr\rhere\",,mid space,ünï\n")
    }

    @Test func aLoneEmptyFieldIsWrittenQuotedSoItIsNotABlankLine() throws {
        #expect(try written([[""], ["", ""]]) == "\"\"\n,\n")
    }

    @Test func aLeadingZeroWidthNoBreakSpaceIsQuotedSoItIsNotReadAsABOM() throws {
        #expect(try written([["\u{FEFF}x", "\u{FEFF}"], ["\u{FEFF}y"]]) == "\"\u{FEFF}x\",\u{FEFF}\n\u{FEFF}y\n")
    }

    @Test func aRecordWithoutFieldsIsNotWritten() throws {
        #expect(try written([[], ["a"]]) == "a\n")
    }

    @Test func fieldByFieldWritesWhatWholeRecordsWrite() throws {
        let records = [["\u{FEFF}x", "a,b"], [""], [], ["", ""], ["=1", "say \"hi\"", " lead"]]
        let files = try TemporaryCSV()
        defer { files.remove() }
        let writer = try CSVWriter(path: files.path("out.csv"), lineEnding: .lf)
        for record in records {
            for field in record { try writer.appendField(field) }
            try writer.endRecord()
        }
        try writer.close()
        let streamed = String(decoding: try files.bytes("out.csv"), as: UTF8.self)
        #expect(streamed == (try written(records, neutraliseFormulas: true)))
        #expect(streamed == "\"\u{FEFF}x\",\"a,b\"\n\"\"\n,\n'=1,\"say \"\"hi\"\"\",\" lead\"\n")
    }

    @Test func aNumberFieldIsWrittenAsItsDecimalString() throws {
        let numbers = [0, 7, 10, 99, 1_234_567_890, Int.max, -5]
        let files = try TemporaryCSV()
        defer { files.remove() }
        let writer = try CSVWriter(path: files.path("out.csv"), lineEnding: .lf)
        for number in numbers {
            try writer.appendField(number)
            try writer.appendField("x")
            try writer.endRecord()
        }
        try writer.appendField("first")
        try writer.appendField(42)
        try writer.endRecord()
        try writer.close()
        let expected = try written(numbers.map { [String($0), "x"] } + [["first", "42"]], neutraliseFormulas: true)
        #expect(String(decoding: try files.bytes("out.csv"), as: UTF8.self) == expected)
        #expect(expected.hasPrefix("0,x\n7,x\n10,x\n99,x\n1234567890,x\n9223372036854775807,x\n'-5,x\n"))
    }

    @Test func usesCRLFByDefault() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let writer = try CSVWriter(path: files.path("out.csv"))
        try writer.write(["a", "b"])
        try writer.write(["1", "2"])
        try writer.close()
        #expect(try files.bytes("out.csv") == Array("a,b\r\n1,2\r\n".utf8))
    }

    @Test func neutralisesFormulasByDefault() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let writer = try CSVWriter(path: files.path("out.csv"), lineEnding: .lf)
        try writer.write(["=SUM(A1:A9)", "+1", "-2", "@cmd", "\tx", "\rx", "safe", "a=b", ""])
        try writer.close()
        let output = String(decoding: try files.bytes("out.csv"), as: UTF8.self)
        #expect(output == "'=SUM(A1:A9),'+1,'-2,'@cmd,'\tx,\"'\rx\",safe,a=b,\n")
    }

    @Test func formulaGuardDecidesOnTheFirstCharacterOnly() {
        #expect(FormulaGuard.isRisky("=1"))
        #expect(FormulaGuard.isRisky("@x"))
        #expect(!FormulaGuard.isRisky("x=1"))
        #expect(!FormulaGuard.isRisky(""))
        #expect(FormulaGuard.neutralised("-5") == "'-5")
        #expect(FormulaGuard.neutralised("5") == "5")
    }

    @Test func flushMakesRecordsVisibleBeforeClose() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let writer = try CSVWriter(path: files.path("out.csv"), lineEnding: .lf)
        try writer.write(["a"])
        #expect(try files.bytes("out.csv").isEmpty)
        try writer.flush()
        #expect(try files.bytes("out.csv") == Array("a\n".utf8))
        try writer.close()
    }

    @Test func writingAfterCloseFails() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let writer = try CSVWriter(path: files.path("out.csv"))
        try writer.close()
        #expect(throws: CSVFileError.self) { try writer.write(["a"]) }
    }

    @Test func failsToOpenAPathInAMissingDirectory() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        #expect(throws: CSVFileError.self) { try CSVWriter(path: files.path("missing/out.csv")) }
    }

    @Test func writesFieldsLargerThanTheBuffer() throws {
        let huge = String(repeating: "x,\"", count: 50_000)
        let files = try TemporaryCSV()
        defer { files.remove() }
        let writer = try CSVWriter(path: files.path("out.csv"), neutraliseFormulas: false)
        try writer.write(["1", huge])
        try writer.close()
        let read = try readAll(files.path("out.csv"), maxFieldBytes: 1 << 20)
        #expect(read.first?.record?.fields == ["1", huge])
    }
}
