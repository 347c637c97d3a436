import ArgumentParser
import Foundation
import KeyBatch
import SeamAPI
import SeamSandbox

/// Seam is the truth, at what cost: 500 reservations against a sandbox whose Salto KS site takes
/// `syncDelay` seconds to apply each change, limited to L requests/s.
///
/// 1. Confirmation: calls the confirmation rounds make per confirmed row (goal ≤ 1), and wall
///    time against the rate floor (accepted calls / L) measured in the same run.
/// 2. Adoption: a first run on a new state file over the same 500 reservations, which already
///    exist in Seam: creates (goal 0) and calls per row.
struct ConfirmBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "confirm")

    @Option var reservations = 500
    @Option var limit = 50.0
    @Option var syncDelay = 2.0

    func run() async throws {
        let server = try await SeamSandboxServer.start()
        server.controls.setRateLimit(RateLimit(requestsPerSecond: limit, burst: 10))
        server.controls.setProviderBehavior(ProviderBehavior(syncDelay: syncDelay))
        let client = SeamClient(configuration: SeamConfiguration(apiKey: server.apiKey, endpoint: server.endpoint),
                                rateLimiter: SeamRateLimiter(rate: limit, burst: 10))
        let directory = try BenchmarkFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try BenchmarkFixtures.input(reservations: reservations, in: directory)
        func provision(state: String) async throws -> (ProvisioningReport, rowCalls: Int, accepted: Int, creates: Int) {
            server.controls.resetCounters()
            let store = try StateStore.open(path: directory.appendingPathComponent(state).path, runDescription: "bench")
            let results = directory.appendingPathComponent("results.csv").path
            let report = try await ProvisioningRun(input: input, resultsPath: results, options: ProvisioningOptions(concurrency: 8),
                                                   operations: SeamOperationsClient(client: client), state: store,
                                                   logger: BenchmarkFixtures.quietLogger).run()
            let rows = try CSVRows.read(results)
            let rowCalls = rows.compactMap { Int($0["http_calls"] ?? "") }.reduce(0, +)
            let counters = server.controls.counters()
            let accepted = counters.accepted
            let creates = ["/user_identities/create", "/acs/users/create", "/acs/credentials/create"]
                .map { counters.count(route: $0, status: 200) }.reduce(0, +)
            return (report, rowCalls, accepted, creates)
        }

        print("\(reservations) reservations (2 access groups each, \(reservations / 2) guests); sandbox limit L = \(Int(limit)) req/s, burst 10; site sync delay \(syncDelay) s")
        let (first, rowCalls, accepted, creates) = try await provision(state: "a.sqlite")
        let confirmed = first.summary.count(.provisioned)
        let confirmationCalls = first.httpCalls - rowCalls
        let wall = first.duration.inSeconds
        let floor = Double(accepted) / limit
        print("1. confirmation: \(confirmed) provisioned (confirmed), \(first.summary.count(.pending)) pending, \(first.summary.count(.failed)) failed")
        print(String(format: "   calls: %d in all, %d by rows (%.2f per row), %d by confirmation rounds = %.3f per confirmed row (goal <= 1)",
                     first.httpCalls, rowCalls, Double(rowCalls) / Double(reservations), confirmationCalls,
                     Double(confirmationCalls) / Double(max(confirmed, 1))))
        print(String(format: "   wall %.1f s, floor %.1f s (accepted calls / L), wall/floor %.2f; creates %d", wall, floor, wall / floor, creates))

        let (adopted, adoptedRowCalls, adoptedAccepted, adoptedCreates) = try await provision(state: "b.sqlite")
        print("2. a new state file over the same \(reservations) reservations: \(adopted.summary.count(.provisioned)) provisioned, \(adoptedCreates) creates (goal 0)")
        print(String(format: "   calls: %d in all (%.2f per row; rows %d, confirmation %d), wall %.1f s, floor %.1f s, wall/floor %.2f",
                     adopted.httpCalls, Double(adopted.httpCalls) / Double(reservations), adoptedRowCalls, adopted.httpCalls - adoptedRowCalls,
                     adopted.duration.inSeconds, Double(adoptedAccepted) / limit, adopted.duration.inSeconds / (Double(adoptedAccepted) / limit)))
        try await client.shutdown()
        await server.shutdown()
    }
}

/// The rows of a results file, by column name (benchmarks only).
enum CSVRows {
    static func read(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
