import Foundation
import SeamSandbox
import Testing
@testable import KeyBatch

/// `--json-summary` and `--metrics-file` of the `keybatch` binary: what a scheduler and Prometheus
/// read agrees with the results file, and a failed night keeps the last success.
@Suite struct ReportingTests {
    static let binary = CrashSafetyTests.binary

    struct Summary: Decodable {
        var schemaVersion: Int
        var keybatchVersion: String
        var outcome: String
        var exitCode: Int32
        var rows: Int
        var byStatus: [String: Int]
        var byAction: [String: Int]
        var httpCalls: Int
        var inputSha256: String?
        var error: String?
    }

    static func summary(_ path: String) throws -> Summary {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Summary.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The samples of one metric: labels (or "") → value.
    static func samples(_ name: String, in path: String) throws -> [String: Double] {
        var found: [String: Double] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[0] == name || parts[0].hasPrefix(name + "{") else { continue }
            found[String(parts[0].dropFirst(name.count))] = Double(parts[1])
        }
        return found
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func theSummaryAndTheMetricsAgreeWithTheResultsAndAFailedNightKeepsTheLastSuccess() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let directory = sandbox.directory
            let reservations = try directory.write("r.csv", ReservationFixtures.file(ReservationFixtures.rows(count: 6, guests: 4) + ["bad,row"]))
            let json = directory.path("summary.json")
            let metrics = directory.path("keybatch.prom")
            let arguments = ["provision", reservations, "--listings", SandboxHarness.samplesListings, "--out", directory.path("results.csv"),
                             "--state", directory.path("state.sqlite"), "--json-summary", json, "--metrics-file", metrics]
            let good = try await ChildProcess.run(Self.binary, arguments,
                                                  environment: ["SEAM_ENDPOINT": sandbox.server.endpoint, "SEAM_API_KEY": sandbox.server.apiKey])
            #expect(good.status == 1, "\(good.stderrText)")  // one invalid row

            let results = try SandboxHarness.readResults(directory.path("results.csv"))
            let summary = try Self.summary(json)
            #expect(summary.schemaVersion == 1 && summary.keybatchVersion == KeyBatchVersion.current)
            #expect(summary.outcome == "completed" && summary.exitCode == 1 && summary.rows == results.count)
            #expect(summary.byStatus == Dictionary(grouping: results, by: { $0["status"]! }).mapValues(\.count))
            #expect(summary.byAction == Dictionary(grouping: results, by: { $0["action"]! }).mapValues(\.count))
            #expect(summary.inputSha256 == FileDigest.sha256(path: reservations))
            #expect(summary.httpCalls > 0 && summary.httpCalls == sandbox.requestCount())
            #expect(try Self.mode(json) == 0o600 && Self.mode(metrics) == 0o644)

            #expect(try Self.samples("keybatch_last_run_rows", in: metrics) == ["": Double(results.count)])
            #expect(try Self.samples("keybatch_last_run_status_rows", in: metrics)
                == Dictionary(uniqueKeysWithValues: summary.byStatus.map { ("{status=\"\($0.key)\"}", Double($0.value)) }))
            #expect(try Self.samples("keybatch_last_run_http_calls", in: metrics) == ["": Double(summary.httpCalls)])
            #expect(try Self.samples("keybatch_last_run_exit_code", in: metrics) == ["": 1])
            let lastSuccess = try #require(try Self.samples("keybatch_last_success_timestamp_seconds", in: metrics)[""])
            #expect(abs(lastSuccess - Date().timeIntervalSince1970) < 120)

            // A night Seam refuses the key (new rows, so calls are made): exit 2, and the last
            // success is the one before.
            let tonight = try directory.write("r.csv", ReservationFixtures.file(ReservationFixtures.rows(count: 3, guests: 3, prefix: "N"))
                .replacingOccurrences(of: "guest0@", with: "newcomer0@").replacingOccurrences(of: "guest1@", with: "newcomer1@")
                .replacingOccurrences(of: "guest2@", with: "newcomer2@"))
            #expect(tonight == reservations)
            let refused = try await ChildProcess.run(Self.binary, arguments,
                                                     environment: ["SEAM_ENDPOINT": sandbox.server.endpoint, "SEAM_API_KEY": "seam_wrong_key"])
            #expect(refused.status == 2)
            #expect(try Self.summary(json).outcome == "unauthorized", "\(refused.stderrText)")
            #expect(try Self.samples("keybatch_last_run_exit_code", in: metrics) == ["": 2])
            #expect(try Self.samples("keybatch_last_run_success", in: metrics) == ["": 0])
            #expect(try Self.samples("keybatch_last_success_timestamp_seconds", in: metrics) == ["": lastSuccess])

            // A night that cannot start (the listings file is gone): said too, with why.
            let missing = arguments.map { $0 == SandboxHarness.samplesListings ? directory.path("gone.csv") : $0 }
            let notStarted = try await ChildProcess.run(Self.binary, missing,
                                                        environment: ["SEAM_ENDPOINT": sandbox.server.endpoint, "SEAM_API_KEY": sandbox.server.apiKey])
            #expect(notStarted.status == 2)
            let stopped = try Self.summary(json)
            #expect(stopped.outcome == "error" && stopped.exitCode == 2 && stopped.error?.contains("gone.csv") == true)
            #expect(try Self.samples("keybatch_last_success_timestamp_seconds", in: metrics) == ["": lastSuccess])
            // The wrong key is in neither file.
            for file in [json, metrics] { #expect(try !String(contentsOfFile: file, encoding: .utf8).contains("seam_wrong_key")) }

            // A FIFO where the metrics file was: the night ends (no hang reading it), the FIFO is
            // written through, never renamed over, and its reader gets the figures, with no
            // previous last success (a FIFO holds none to read).
            try FileManager.default.removeItem(atPath: metrics)
            #expect(mkfifo(metrics, 0o600) == 0)
            let reader = try OutputPathTests.reader(of: metrics)
            let afterFIFO = try await ChildProcess.run(Self.binary, arguments,
                                                       environment: ["SEAM_ENDPOINT": sandbox.server.endpoint, "SEAM_API_KEY": "seam_wrong_key"])
            let read = try directory.write("read.prom", String(decoding: try await OutputPathTests.bytesRead(by: reader), as: UTF8.self))
            #expect(afterFIFO.status == 2)
            #expect(try Self.samples("keybatch_last_run_exit_code", in: read) == ["": 2])
            #expect(try Self.samples("keybatch_last_success_timestamp_seconds", in: read).isEmpty)
            var info = stat()
            #expect(lstat(metrics, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        }
    }
}
