import CSV
import Testing

/// `nextRaw` must read exactly what `next()` reads: the same records (as bytes) and the same issues.
@Suite struct CSVRawReadingTests {
    /// Every record or issue through `nextRaw`, records turned back into strings.
    private func readAllRaw(_ reader: CSVReader) throws -> [Result<CSVRecord, CSVIssue>] {
        var results: [Result<CSVRecord, CSVIssue>] = []
        while let result = try reader.nextRaw({ line, fields in
            CSVRecord(line: line, fields: (0..<fields.count).map { String(decoding: fields[$0], as: UTF8.self) })
        }) {
            results.append(result)
        }
        return results
    }

    private static let inputs: [[UInt8]] = [
        Array("id,name\n1,Hugo Müller\n2,\"a, \"\"quoted\"\"\nname\"\n\n3,\n".utf8),
        Array("id,name\r\n1,x\r\n2,y,z\r\n3\r\n4,w".utf8),
        Array("id,name\n1,ab\"c\n2,ok\n3,\"open\n4,after\n".utf8),
        [0xEF, 0xBB, 0xBF] + Array("id,name\n1,".utf8) + [0xC3, 0x28] + Array("\n2,ok\n".utf8),
        Array("id,name\n1,\(String(repeating: "é", count: 40))\n2,ok\n".utf8),
    ]

    @Test(arguments: inputs.indices)
    func rawReadingMatchesStringReading(input: Int) throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let path = try files.write(Self.inputs[input])
        let expected = try readAll(CSVReader(path: path, chunkSize: 7, maxFieldBytes: 32))
        let raw = try readAllRaw(CSVReader(path: path, chunkSize: 7, maxFieldBytes: 32))
        #expect(raw == expected)
        #expect(expected.count >= 3)
    }

    @Test func aHeaderReadAsStringsThenRowsAsBytes() throws {
        let files = try TemporaryCSV()
        defer { files.remove() }
        let reader = try CSVReader(path: files.write("id,name\n1,Ann\n2\n"))
        #expect(try reader.next()?.record == CSVRecord(line: 1, fields: ["id", "name"]))
        let first = try reader.nextRaw { line, fields in "\(line):\(fields.count):\(String(decoding: fields[1], as: UTF8.self))" }
        #expect(first == .success("2:2:Ann"))
        let second = try reader.nextRaw { _, _ in "" }
        #expect(second?.failureKind == .wrongFieldCount)
        #expect(try reader.nextRaw { _, _ in "" } == nil)
    }
}

private extension Result where Failure == CSVIssue {
    var failureKind: CSVIssue.Kind? {
        if case .failure(let issue) = self { return issue.kind }
        return nil
    }
}
