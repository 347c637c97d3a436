import Foundation
import SeamAPI

/// What a `provision` run did, as figures: the `--json-summary` file (this shape, versioned by
/// `schemaVersion`) and the source of the `--metrics-file` gauges, so the two always agree with
/// each other and with the results file.
///
/// Schema version 1. Fields are only ever added within a version; a removal or a change of
/// meaning raises it. Keys are snake_case; counts by status and action list only what occurred.
public struct RunFigures: Sendable, Codable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion = RunFigures.currentSchemaVersion
    public var keybatchVersion = KeyBatchVersion.current
    public var command: String
    /// `completed`, `interrupted`, `aborted`, `unauthorized`, `unreachable`, or `error` (a
    /// configuration, file, lock or state-file error stopped it: see `error`).
    public var outcome: String
    public var exitCode: Int32
    public var startedAt: String
    public var finishedAt: String
    public var durationSeconds: Double
    public var input: String
    /// The reservations file's SHA-256; nil for standard input (or a run that did not start).
    public var inputSha256: String?
    public var resultsFile: String?
    /// nil with `--no-state`.
    public var stateFile: String?
    public var rows: Int
    public var byStatus: [String: Int]
    public var byAction: [String: Int]
    public var httpCalls: Int
    public var retries: Int
    public var rateLimited: Int
    public var rowsPerSecond: Double
    /// Why a run that did not start stopped (the message printed on standard error).
    public var error: String?
    /// `--instant-keys` only: links issued, and refusals by Seam's error code.
    public var instantKeys: InstantKeys?

    public struct InstantKeys: Sendable, Codable, Equatable {
        public var issued: Int
        public var refused: Int
        public var refusedByCode: [String: Int]
    }

    public init(command: String, outcome: String, exitCode: Int32, started: Date, finished: Date, input: String,
                inputSHA256: String?, resultsFile: String?, stateFile: String?, summary: RunSummary, calls: SeamCallCounts,
                error: String? = nil, instantKeys: InstantKeyTally? = nil) {
        self.command = command
        self.outcome = outcome
        self.exitCode = exitCode
        startedAt = Timestamp(millisecondsSinceEpoch: Int64(started.timeIntervalSince1970 * 1000)).iso8601
        finishedAt = Timestamp(millisecondsSinceEpoch: Int64(finished.timeIntervalSince1970 * 1000)).iso8601
        durationSeconds = (finished.timeIntervalSince(started) * 1000).rounded() / 1000
        self.input = input
        inputSha256 = inputSHA256
        self.resultsFile = resultsFile
        self.stateFile = stateFile
        rows = summary.rows
        byStatus = Dictionary(uniqueKeysWithValues: summary.byStatus.map { ($0.key.rawValue, $0.value) })
        byAction = Dictionary(uniqueKeysWithValues: summary.byAction.map { ($0.key.rawValue, $0.value) })
        httpCalls = calls.httpCalls
        retries = calls.retries
        rateLimited = calls.rateLimited
        rowsPerSecond = durationSeconds > 0 ? (Double(summary.rows) / durationSeconds * 100).rounded() / 100 : 0
        self.error = error
        self.instantKeys = instantKeys.map {
            InstantKeys(issued: $0.issued, refused: $0.refused, refusedByCode: $0.refusals.mapValues(\.count))
        }
    }

    /// A completed run exits 0 or 1 (rows invalid or failed are the file's problem, not the
    /// job's): what the metrics' "last success" counts.
    public var isSuccess: Bool { outcome == "completed" && exitCode <= 1 }

    /// The JSON summary: pretty, keys sorted, so two summaries diff line by line.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
