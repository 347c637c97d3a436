import Foundation
import KeyBatch

/// The end-of-run report on standard error (standard output may carry the results file).
enum SummaryPrinter {
    static func printValidation(_ summary: RunSummary, input: String, results: String?) {
        var lines = ["\(input): \(summary.rows) rows: \(summary.count(.valid)) valid, \(summary.count(.invalid)) invalid, \(summary.count(.expired)) expired"]
        if !summary.errorsByCode.isEmpty {
            let codes = summary.errorsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  invalid by code: \(codes.joined(separator: ", "))")
        }
        if let results, results != "-" { lines.append("  results: \(results)") }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
