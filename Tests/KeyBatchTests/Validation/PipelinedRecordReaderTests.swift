import CSV
import Foundation
import Testing
@testable import KeyBatch

/// `PipelinedRecordReader` hands out exactly what the `CSVReader` it runs would have, in order,
/// whatever the batch sizes, and its reading thread stops when the consumer goes away.
@Suite struct PipelinedRecordReaderTests {
    /// Good rows, CRLF and LF, a quoted line break, and every kind of issue, including a quote
    /// left open across lines (the reader goes back and reads those lines again) and one never
    /// closed at the end of the file.
    static let input: [UInt8] = Array("""
        id,name,n
        1,alpha,1
        2,"two\nlines",2\r
        3,ab"c,3
        4,too,many,fields
        5,\u{FFFF}bad,5
        6,"open
        7,ok,7
        8,"x"y,8
        9,last,9
        10,"never closed
        11,after,11

        """.utf8).map { $0 == 0xEF ? 0xFF : $0 } // an invalid UTF-8 byte in row 5

    /// Each record or issue the reader handed out, as text (line, column, fields, message).
    private static func describe(_ next: Result<String, CSVIssue>) -> String {
        switch next {
        case .success(let record): "record \(record)"
        case .failure(let issue):
            "issue \(issue.kind) \(issue.line):\(issue.column.map(String.init) ?? "-") \(issue.message) \(issue.recoveredFields)"
        }
    }

    private static func fieldsText(_ line: Int, _ fields: CSVRawFields) -> String {
        "\(line): " + (0..<fields.count).map { String(decoding: fields[$0], as: UTF8.self) }.joined(separator: "|")
    }

    /// A reader of `path` past its header.
    private static func openReader(_ path: String) throws -> CSVReader {
        let reader = try CSVReader(path: path)
        _ = try reader.next()
        return reader
    }

    private func direct(_ path: String) throws -> [String] {
        let reader = try Self.openReader(path)
        var seen: [String] = []
        while let next = try reader.nextRaw(Self.fieldsText) { seen.append(Self.describe(next)) }
        return seen
    }

    @Test("Same records and issues, same order, same lines and columns",
          arguments: [(1, 1, 1), (2, 8, 1), (3, 1 << 20, 2), (1, 1, 4), (1, 1, 7), (128, 32 * 1024, 4)])
    func sameAsTheReader(batch: (records: Int, bytes: Int, queue: Int)) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("r.csv")
        try Data(Self.input).write(to: URL(fileURLWithPath: path))
        let expected = try direct(path)
        #expect(expected.filter { $0.hasPrefix("issue") }.count >= 5)
        #expect(expected.contains { $0.contains("reading resumed on line") }) // the reader went back

        let pipeline = PipelinedRecordReader(try Self.openReader(path), recordsPerBatch: batch.records,
                                             batchBytes: batch.bytes, queueCapacity: batch.queue)
        var seen: [String] = []
        while let next = try pipeline.nextRaw({ line, fields, _, _ in Self.fieldsText(line, fields) }) { seen.append(Self.describe(next)) }
        #expect(seen == expected)
        #expect(try pipeline.nextRaw { line, fields, _, _ in Self.fieldsText(line, fields) } == nil) // stays at the end
    }

    /// Each record comes with its own preview, worked out on the reading thread, and with that of
    /// the record `distance` entries later in its batch, or nil when the batch ends first or that
    /// entry is an issue.
    @Test func aRecordComesWithItsPreviewAndThatOfOneAFewEntriesLater() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("r.csv", "id,n\n" + (0..<10).map { $0 == 7 ? "7,x,extra\n" : "\($0),x\n" }.joined())
        // The "hash" is the row's number, to see which row a preview is of.
        let pipeline = PipelinedRecordReader(try Self.openReader(path), preview: { fields in
            RowPreview(reservationIDHash: UInt64(String(decoding: fields[0], as: UTF8.self)), mayHoldControlCharacter: false)
        }, recordsPerBatch: 5, batchBytes: 1 << 20, queueCapacity: 2)
        var pairs: [String] = []
        while let next = try pipeline.nextRaw(lookingAhead: 2, { line, fields, preview, upcoming in
            "\(Self.fieldsText(line, fields)) \(preview.reservationIDHash!) -> \(upcoming.map { "\($0.reservationIDHash!)" } ?? "nil")"
        }) {
            switch next {
            case .success(let pair): pairs.append(pair)
            case .failure(let issue): pairs.append("issue on line \(issue.line)")
            }
        }
        // Batches of five entries: rows 0-4, then 5-9, row 7 (line 9) being an issue: no record
        // is shown a record of the next batch, and row 5 is shown nothing for the issue.
        #expect(pairs == [
            "2: 0|x 0 -> 2", "3: 1|x 1 -> 3", "4: 2|x 2 -> 4", "5: 3|x 3 -> nil", "6: 4|x 4 -> nil",
            "7: 5|x 5 -> nil", "8: 6|x 6 -> 8", "issue on line 9", "10: 8|x 8 -> nil", "11: 9|x 9 -> nil",
        ])
    }

    @Test func aStreamReadsTheSameRowsPipelinedOrNot() throws {
        let directory = try TemporaryDirectory()
        var text = "reservation_id,guest_email,guest_name,listing_id,check_in,check_out\n"
        for row in 0..<2_000 {
            text += row % 97 == 0 ? "R\(row),bad-email,Guest,A-1,2027-01-01T15:00:00Z\n"
                : "R\(row % 1_500),g\(row)@example.com,Guest \(row),A-1,2027-01-01T15:00:00Z,2027-01-03T11:00:00Z\n"
        }
        let path = try directory.write("r.csv", text)
        let listings = try directory.write("l.csv", "listing_id,acs_system_id,acs_access_group_id\nA-1,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555\n")
        let catalog = try ListingCatalog.load(path: listings)
        func rows(pipelined: Bool) throws -> [String] {
            let stream = try ReservationStream(path: path, catalog: catalog, now: Timestamp(year: 2026, month: 11, day: 29), zone: nil,
                                               pipelined: pipelined)
            var rows: [String] = []
            while let row = try stream.next() { rows.append(String(describing: row)) }
            return rows
        }
        let expected = try rows(pipelined: false)
        #expect(expected.count == 2_000)
        #expect(expected.contains { $0.contains("duplicateReservationID") })
        #expect(try rows(pipelined: true) == expected)
    }

    @Test func droppingThePipelineStopsItsThread() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("r.csv", "id,n\n" + (0..<10_000).map { "\($0),x\n" }.joined())
        weak var watched: CSVReader?
        do {
            let reader = try Self.openReader(path)
            watched = reader
            let pipeline = PipelinedRecordReader(reader, recordsPerBatch: 1, batchBytes: 1, queueCapacity: 1)
            #expect(try pipeline.nextRaw { line, fields, _, _ in Self.fieldsText(line, fields) }.flatMap { try? $0.get() } == "2: 0|x")
        }
        // The thread, blocked on the full queue, is woken by the close and lets go of the reader.
        let deadline = Date().addingTimeInterval(10)
        while watched != nil, Date() < deadline { usleep(1_000) }
        #expect(watched == nil)
    }

    /// A record of thousands of empty fields is a few bytes of input but megabytes once read (its
    /// field ends, or, with the wrong field count, its recovered fields): the batch counts them,
    /// so the reading thread stops filling it (found by review: issues were not counted at all).
    @Test func aBatchCountsItsIssuesAndFieldEnds() {
        var batch = RecordBatch(reservingRecords: 4, bytes: 64)
        let issue = CSVIssue(kind: .wrongFieldCount, line: 2, column: nil, message: "expected 2 fields",
                             recoveredFields: Array(repeating: "", count: 20_000))
        batch.append(issue)
        #expect(batch.footprint >= 20_000 * MemoryLayout<String>.stride)
        var records = RecordBatch(reservingRecords: 4, bytes: 64)
        let ends = Array(1...20_000)
        let bytes = [UInt8](repeating: 0x61, count: 20_000)
        bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in records.append(line: 2, fields: CSVRawFields(bytes: bytes, ends: ends)) }
        }
        #expect(records.footprint >= 20_000 + 20_000 * MemoryLayout<Int>.stride)
    }
}
