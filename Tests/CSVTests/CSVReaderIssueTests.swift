import CSV
import Foundation
import Testing

@Suite final class CSVReaderIssueTests {
    private var openPipes: [Int32] = []

    deinit {
        for descriptor in openPipes { close(descriptor) }
    }

    private func results(_ bytes: [UInt8], chunkSize: Int = 64 * 1024, maxFieldBytes: Int = 64 * 1024) throws
        -> [Result<CSVRecord, CSVIssue>]
    {
        let files = try TemporaryCSV()
        defer { files.remove() }
        return try readAll(files.write(bytes), chunkSize: chunkSize, maxFieldBytes: maxFieldBytes)
    }

    private func results(_ text: String, chunkSize: Int = 64 * 1024, maxFieldBytes: Int = 64 * 1024) throws
        -> [Result<CSVRecord, CSVIssue>]
    {
        try results(Array(text.utf8), chunkSize: chunkSize, maxFieldBytes: maxFieldBytes)
    }

    @Test func aStrayQuoteIsMalformedAndReadingGoesOn() throws {
        let read = try results("id,name\n1,ab\"c\n2,ok\n")
        #expect(read.count == 3)
        let issue = try #require(read[1].issue)
        #expect(issue.kind == .malformedCSV)
        #expect(issue.line == 2)
        #expect(issue.column == 5)
        #expect(issue.recoveredFields == ["1"])
        #expect(read[2].record == CSVRecord(line: 3, fields: ["2", "ok"]))
    }

    @Test func textAfterAClosingQuoteIsMalformed() throws {
        let read = try results("id,name,n\n1,\"ab\"c,3\n2,ok,4\n")
        let issue = try #require(read[1].issue)
        #expect(issue.kind == .malformedCSV)
        #expect((issue.line, issue.column) == (2, 7))
        #expect(read[2].record == CSVRecord(line: 3, fields: ["2", "ok", "4"]))
    }

    @Test("The byte column is right when the bad line spans chunks", arguments: [1, 3, 4, 64 * 1024])
    func columnAcrossChunks(chunkSize: Int) throws {
        let read = try results("id,name\n1,abcdefgh\"\r\n2,ok\r\n", chunkSize: chunkSize)
        let issue = try #require(read[1].issue)
        #expect((issue.line, issue.column) == (2, 11))
        #expect(read[2].record == CSVRecord(line: 3, fields: ["2", "ok"]))
        #expect(read.count == 3)
    }

    @Test func aMalformedMultiLineRecordIsReportedAtItsOpeningQuoteAndItsLinesAreReadAgain() throws {
        let read = try results("id,name\n1,\"a\nb\"x\n2,ok\n")
        #expect(read.count == 4)
        let issue = try #require(read[1].issue)
        #expect((issue.kind, issue.line, issue.column) == (.malformedCSV, 2, 3))
        #expect(issue.message.contains("line 3, column 3"))
        #expect(issue.recoveredFields == ["1"])
        // Line 3 is read again on its own, and is itself malformed.
        let again = try #require(read[2].issue)
        #expect((again.kind, again.line, again.column) == (.malformedCSV, 3, 2))
        #expect(read[3].record == CSVRecord(line: 4, fields: ["2", "ok"]))
    }

    @Test("A quote closed by a later line's quote hides no lines", arguments: [false, true])
    func unbalancedQuoteClosedLater(throughPipe: Bool) throws {
        let text = "id,name\n1,\"abc\n2,ok\n3,\"x\"y\n4,z\n"
        let read: [Result<CSVRecord, CSVIssue>]
        if throughPipe {
            read = try readAll(CSVReader(path: try pipeContaining(text), chunkSize: 4))
        } else {
            read = try results(text, chunkSize: 4)
        }
        #expect(read.count == 5)
        #expect(read[1].issue?.line == 2)
        #expect(read[2].record == CSVRecord(line: 3, fields: ["2", "ok"]))
        let textAfterQuote = try #require(read[3].issue)
        #expect((textAfterQuote.line, textAfterQuote.column) == (4, 6))
        #expect(read[4].record == CSVRecord(line: 5, fields: ["4", "z"]))
    }

    /// A path that reads `text` from a pipe, which cannot seek.
    private func pipeContaining(_ text: String) throws -> String {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let bytes = Array(text.utf8)
        try #require(bytes.count < 4096)
        #expect(write(descriptors[1], bytes, bytes.count) == bytes.count)
        close(descriptors[1])
        openPipes.append(descriptors[0])
        return "/dev/fd/\(descriptors[0])"
    }

    @Test("An unterminated quote does not hide the lines after it", arguments: [2, 5, 64 * 1024])
    func unterminatedQuoteRecovers(chunkSize: Int) throws {
        let read = try results("id,name\n1,\"abc\n2,ok\r\n3,fine\n4,\"x", chunkSize: chunkSize)
        #expect(read.count == 5)
        let issue = try #require(read[1].issue)
        #expect(issue.kind == .malformedCSV)
        #expect((issue.line, issue.column) == (2, 3))
        #expect(issue.recoveredFields == ["1"])
        #expect(read[2].record == CSVRecord(line: 3, fields: ["2", "ok"]))
        #expect(read[3].record == CSVRecord(line: 4, fields: ["3", "fine"]))
        let last = try #require(read[4].issue)
        #expect((last.kind, last.line, last.column) == (.malformedCSV, 5, 3))
    }

    @Test func anUnterminatedQuoteInAPipeIsReplayed() throws {
        let path = try pipeContaining("id,name\n1,\"abc\n2,ok\n3,fine\n")
        let read = try readAll(CSVReader(path: path, chunkSize: 4))
        #expect(read.count == 4)
        #expect(read[1].issue?.line == 2)
        #expect(read[2].record == CSVRecord(line: 3, fields: ["2", "ok"]))
        #expect(read[3].record == CSVRecord(line: 4, fields: ["3", "fine"]))
    }

    @Test func aRunawayQuoteKeepsMemoryBoundedAndRecovers() throws {
        var text = "id,name\n1,\"never closed\n"
        for index in 0..<2_000 { text += "\(index + 2),name \(index)\n" }
        let read = try results(text, chunkSize: 64, maxFieldBytes: 100)
        #expect(read.count == 2_002)
        #expect(read[1].issue?.kind == .malformedCSV)
        #expect(read[2].record == CSVRecord(line: 3, fields: ["2", "name 0"]))
        #expect(read.last?.record == CSVRecord(line: 2_002, fields: ["2001", "name 1999"]))
    }

    @Test func aWrongFieldCountIsAnIssueForThatRecordOnly() throws {
        let read = try results("a,b,c\n1,2\n3,4,5\n6,7,8,9\n")
        let short = try #require(read[1].issue)
        #expect(short.kind == .wrongFieldCount)
        #expect(short.line == 2)
        #expect(short.message.contains("expected 3") && short.message.contains("got 2"))
        #expect(short.recoveredFields == ["1", "2"])
        #expect(read[2].record == CSVRecord(line: 3, fields: ["3", "4", "5"]))
        #expect(read[3].issue?.kind == .wrongFieldCount)
        #expect(read[3].issue?.recoveredFields == ["6", "7", "8", "9"])
    }

    @Test func fieldCountIsNotCheckedWhenNotEnforced() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let read = try readAll(files.write("a,b,c\n1,2\n"), enforceFieldCount: false)
        #expect(read.compactMap(\.record).count == 2)
    }

    @Test func invalidUTF8IsRepairedAndNamesTheField() throws {
        let bytes = Array("a,b\n1,".utf8) + [0xFF, 0x41, 0xC3] + Array("\n2,ok\n".utf8)
        let read = try results(bytes)
        let issue = try #require(read[1].issue)
        #expect(issue.kind == .invalidUTF8)
        #expect((issue.line, issue.column) == (2, 2))
        #expect(issue.recoveredFields == ["1", "\u{FFFD}A\u{FFFD}"])
        #expect(read[2].record == CSVRecord(line: 3, fields: ["2", "ok"]))
    }

    @Test func aFieldWithAnEmbeddedNULIsStillCheckedAsUTF8() throws {
        let bytes = Array("a,b\nx\u{0}é,ok\ny\u{0}".utf8) + [0xFF] + Array(",bad\n".utf8)
        let read = try results(bytes)
        #expect(read[1].record == CSVRecord(line: 2, fields: ["x\u{0}é", "ok"]))
        #expect(read[2].issue?.kind == .invalidUTF8)
        #expect(read[2].issue?.recoveredFields == ["y\u{0}\u{FFFD}", "bad"])
    }

    @Test func aTooLongFieldIsTruncatedAndNamesTheField() throws {
        let read = try results("a,b\n1,0123456789ABC\n2,ok\n", maxFieldBytes: 10)
        let issue = try #require(read[1].issue)
        #expect(issue.kind == .fieldTooLong)
        #expect((issue.line, issue.column) == (2, 2))
        #expect(issue.recoveredFields == ["1", "0123456789"])
        #expect(read[2].record == CSVRecord(line: 3, fields: ["2", "ok"]))
    }

    @Test func truncationNeverSplitsACharacter() throws {
        let read = try results("a\néééééé\n", maxFieldBytes: 5)
        #expect(read[1].issue?.recoveredFields == ["éé"])
    }

    @Test func aLongQuotedMultiLineFieldIsTooLongNotMalformed() throws {
        let long = String(repeating: "line of text\n", count: 200)
        let read = try results("a,b\n1,\"\(long)\"\n2,ok\n", chunkSize: 64, maxFieldBytes: 100)
        #expect(read.count == 3)
        #expect(read[1].issue?.kind == .fieldTooLong)
        #expect(read[1].issue?.recoveredFields.last?.utf8.count == 100)
        #expect(read[2].record == CSVRecord(line: 203, fields: ["2", "ok"]))
    }
}
