import ArgumentParser
import Foundation
import KeyBatch
import SeamAPI
import SeamSandbox

/// `keybatch export` of N ACS users (default 10,000) made by a provisioning run, against the
/// sandbox answering in 40 ± 20 ms (as in the provisioning benchmark) with pages of at most 500:
/// the calls and time it takes, against the N calls one lookup per user would cost at least.
struct ExportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export")

    @Option var users = 10_000
    @Option var pageSize = 500

    func run() async throws {
        let server = try await SeamSandboxServer.start()
        let client = BenchmarkFixtures.unthrottledClient(server)
        let directory = try BenchmarkFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try BenchmarkFixtures.input(reservations: users, in: directory)
        let statePath = directory.appendingPathComponent("state.sqlite").path
        print("Making \(users) ACS users with keys (a provisioning run, no latency)…")
        do {
            let state = try StateStore.open(path: statePath, runDescription: "bench")
            let seeding = ProvisioningRun(input: input, resultsPath: directory.appendingPathComponent("results.csv").path,
                                          options: ProvisioningOptions(concurrency: 32), operations: SeamOperationsClient(client: client),
                                          state: state, logger: BenchmarkFixtures.quietLogger)
            let report = try await seeding.run()
            print("  \(report.summary.count(.provisioned)) provisioned in \(String(format: "%.1f", report.duration.inSeconds)) s")
        }
        server.controls.setLatency(LatencyRule(fixedMilliseconds: 20, jitterMilliseconds: 40))
        server.controls.setMaxPageSize(pageSize)
        let catalog = try ListingCatalog.load(path: input.listingsPath)
        let state = try StateStore.open(path: statePath, runDescription: "bench export")
        let export = ExportRun(catalog: catalog, state: state, resultsPath: directory.appendingPathComponent("export.csv").path)
        let clock = ContinuousClock()
        let started = clock.now
        let report = try await export.run(operations: SeamOperationsClient(client: client))
        let seconds = (clock.now - started).inSeconds
        try await client.shutdown()
        await server.shutdown()
        let drift = report.byDrift.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        print("export of \(report.rows) ACS users (pages of \(pageSize), latency 40 ± 20 ms): \(report.httpCalls) calls, "
              + String(format: "%.1f s; %.4f calls per user (a lookup per user: ≥ 1); drift: %@", seconds,
                       Double(report.httpCalls) / Double(max(1, report.rows)), drift))
    }
}
