import CSV
import PropertyBased
import Testing

@Suite struct CSVRoundTripTests {
    /// Characters that stress quoting: delimiters, quotes, line breaks, spaces at the edges,
    /// formula triggers and multi-byte UTF-8.
    static let tricky: [Character] = [
        "a", "Z", "7", ",", ";", "\"", "\r", "\n", "\r\n", " ", "\t", "=", "-", "'", "é", "日", "🙂", "\u{FEFF}",
    ]
    static let field = Gen<Character?>.element(of: tricky).map { $0! }.string(of: 0...8)
    static let record = field.array(of: 1...5)
    static let records = record.array(of: 1...6)

    @Test func whateverIsWrittenIsReadBackIdentically() async throws {
        await propertyCheck(count: 300, input: Self.records, Gen.bool) { records, useCRLF in
            let files = try TemporaryCSV()
            defer { files.remove() }
            let path = files.path("round-trip.csv")
            let writer = try CSVWriter(path: path, lineEnding: useCRLF ? .crlf : .lf, neutraliseFormulas: false)
            for record in records { try writer.write(record) }
            try writer.close()

            let read = try readAll(path, chunkSize: 7, enforceFieldCount: false)
            #expect(read.compactMap(\.issue).isEmpty)
            #expect(read.compactMap(\.record).map(\.fields) == records)
        }
    }
}
