import CSV
import Testing

@Suite struct CSVReaderTests {
    private func records(_ text: String, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 64 * 1024) throws -> [CSVRecord] {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let results = try readAll(files.write(text), delimiter: delimiter, chunkSize: chunkSize, enforceFieldCount: false)
        #expect(results.allSatisfy { $0.record != nil }, "unexpected issues: \(results.compactMap(\.issue))")
        return results.compactMap(\.record)
    }

    @Test func readsLFRecordsWithTheirLines() throws {
        let read = try records("id,name\n1,Ann\n2,Bob\n")
        #expect(read == [
            CSVRecord(line: 1, fields: ["id", "name"]),
            CSVRecord(line: 2, fields: ["1", "Ann"]),
            CSVRecord(line: 3, fields: ["2", "Bob"]),
        ])
    }

    @Test func countsCRLFLinesAndSkipsBlankOnes() throws {
        let read = try records("id,name\r\n1,Ann\r\n\r\n2,Bob\r\n")
        #expect(read.map(\.line) == [1, 2, 4])
        #expect(read.last?.fields == ["2", "Bob"])
    }

    @Test func countsOldMacCRLines() throws {
        let read = try records("id,name\r1,Ann\r\r2,Bob")
        #expect(read.map(\.line) == [1, 2, 4])
        #expect(read.map(\.fields) == [["id", "name"], ["1", "Ann"], ["2", "Bob"]])
    }

    @Test func dropsTheByteOrderMark() throws {
        let read = try records("\u{FEFF}id,name\n1,Ann\n")
        #expect(read.first?.fields == ["id", "name"])
        #expect(read.first?.fields.first?.utf8.count == 2)
    }

    @Test func dropsAByteOrderMarkSplitAcrossChunks() throws {
        let read = try records("\u{FEFF}id,name\n1,Ann\n", chunkSize: 1)
        #expect(read.map(\.fields) == [["id", "name"], ["1", "Ann"]])
    }

    @Test func keepsCommasAndDoubledQuotesInQuotedFields() throws {
        let read = try records("id,text\n1,\"a, \"\"b\"\" c\"\n")
        #expect(read.last?.fields == ["1", "a, \"b\" c"])
    }

    @Test func embeddedNewlinesKeepLaterLineNumbersRight() throws {
        let read = try records("id,text\n1,\"one\ntwo\r\nthree\rfour\"\n2,after\n")
        #expect(read.count == 3)
        #expect(read[1] == CSVRecord(line: 2, fields: ["1", "one\ntwo\r\nthree\rfour"]))
        #expect(read[2] == CSVRecord(line: 6, fields: ["2", "after"]))
    }

    @Test func skipsBlankAndWhitespaceOnlyLines() throws {
        let read = try records("a,b\n\n   \n1,2\n\n")
        #expect(read == [CSVRecord(line: 1, fields: ["a", "b"]), CSVRecord(line: 4, fields: ["1", "2"])])
    }

    @Test func readsALastLineWithoutNewline() throws {
        let read = try records("a,b\n1,2")
        #expect(read.last == CSVRecord(line: 2, fields: ["1", "2"]))
    }

    @Test func readsALastQuotedFieldWithoutNewline() throws {
        let read = try records("a,b\n1,\"x\ny\"")
        #expect(read.last == CSVRecord(line: 2, fields: ["1", "x\ny"]))
    }

    @Test func honoursASemicolonDelimiter() throws {
        let read = try records("id;amount\n1;\"3,50\"\n2;\"a;b\"\n", delimiter: UInt8(ascii: ";"))
        #expect(read.map(\.fields) == [["id", "amount"], ["1", "3,50"], ["2", "a;b"]])
    }

    @Test func trimsSpacesAroundUnquotedFieldsButKeepsQuotedOnes() throws {
        let read = try records("  a  , \" b \" \n")
        #expect(read.first?.fields == ["a", " b "])
    }

    @Test func emptyFileHasNoRecords() throws {
        #expect(try records("").isEmpty)
        #expect(try records("\u{FEFF}").isEmpty)
    }

    @Test("Every chunk size gives the same records", arguments: [1, 2, 3, 5, 7, 16, 64])
    func chunkBoundariesDoNotMatter(chunkSize: Int) throws {
        let text = "\u{FEFF}id,text\r\n1,\"a\r\nb\"\r\n\r\n2,\"x,\"\"y\"\"\"\r3,z\n4,\"\"\n5,last"
        let expected = try records(text)
        #expect(expected.count == 6)
        #expect(try records(text, chunkSize: chunkSize) == expected)
    }

    @Test func streamsAFileOfManyChunksWithRecordsSpanningBoundaries() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        var text = "id,name,note\n"
        var expected = [CSVRecord(line: 1, fields: ["id", "name", "note"])]
        var line = 2
        for index in 0..<20_000 {
            let note = index % 7 == 0 ? "multi\nline, \"quoted\" \(index)" : "plain note \(index) ünïcödé"
            let encoded = index % 7 == 0 ? "\"" + note.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : note
            text += "\(index),Guest \(index),\(encoded)\n"
            expected.append(CSVRecord(line: line, fields: ["\(index)", "Guest \(index)", note]))
            line += index % 7 == 0 ? 2 : 1
        }
        let path = try files.write(text)
        #expect(text.utf8.count > 10 * 64 * 1024)
        let results = try readAll(path)
        #expect(results.compactMap(\.issue).isEmpty)
        #expect(results.compactMap(\.record) == expected)
    }

    @Test func reportsAFileThatCannotBeOpened() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        #expect(throws: CSVFileError.self) { try CSVReader(path: files.path("missing.csv")) }
        #expect(throws: CSVFileError.self) { try CSVReader(path: files.directory.path) }
    }

    @Test func exposesTheHeaderFieldCount() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let reader = try CSVReader(path: files.write("a,b,c\n1,2,3\n"))
        #expect(reader.headerFieldCount == nil)
        _ = try reader.next()
        #expect(reader.headerFieldCount == 3)
    }
}
