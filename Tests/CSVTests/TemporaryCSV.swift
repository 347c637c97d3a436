import CSV
import Foundation

/// Real files in a per-test temporary directory, and helpers to read them back whole.
struct TemporaryCSV {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("csv-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func path(_ name: String = "input.csv") -> String {
        directory.appendingPathComponent(name).path
    }

    @discardableResult
    func write(_ bytes: [UInt8], name: String = "input.csv") throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @discardableResult
    func write(_ text: String, name: String = "input.csv") throws -> String {
        try write(Array(text.utf8), name: name)
    }

    func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Every record or issue of a reader, in order.
func readAll(_ reader: CSVReader) throws -> [Result<CSVRecord, CSVIssue>] {
    var results: [Result<CSVRecord, CSVIssue>] = []
    while let result = try reader.next() { results.append(result) }
    return results
}

func readAll(
    _ path: String, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 64 * 1024,
    maxFieldBytes: Int = 64 * 1024, enforceFieldCount: Bool = true
) throws -> [Result<CSVRecord, CSVIssue>] {
    try readAll(CSVReader(path: path, delimiter: delimiter, chunkSize: chunkSize,
                          maxFieldBytes: maxFieldBytes, enforceFieldCount: enforceFieldCount))
}

extension Result where Success == CSVRecord, Failure == CSVIssue {
    var record: CSVRecord? {
        if case .success(let record) = self { return record }
        return nil
    }

    var issue: CSVIssue? {
        if case .failure(let issue) = self { return issue }
        return nil
    }
}
