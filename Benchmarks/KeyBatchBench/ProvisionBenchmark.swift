import ArgumentParser
import Foundation
import KeyBatch
import SeamAPI
import SeamSandbox

/// Provisioning against a sandbox that allows L requests/s (burst 10) and answers in 40 ± 20 ms:
/// how close each client setting gets to L, how many 429s it draws and whether any row fails.
/// The baseline is the floor measured in the same run: accepted calls / L.
struct ProvisionBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "provision")

    @Option var reservations = 500
    @Option var limit = 50.0

    struct Setting {
        var name: String
        var rate: Double
        var burst: Double
        var concurrency: Int
    }

    func run() async throws {
        let settings = [
            Setting(name: "--rate 50 --burst 10", rate: 50, burst: 10, concurrency: 8),
            Setting(name: "--rate 200 (limit unknown)", rate: 200, burst: 20, concurrency: 8),
            Setting(name: "--concurrency 1 (guide's loop)", rate: 50, burst: 10, concurrency: 1),
        ]
        print("Provisioning \(reservations) reservations (2 access groups each, \(reservations / 2) guests); sandbox limit L = \(Int(limit)) req/s, burst 10, latency 40 ± 20 ms")
        print(pad("setting", 32) + pad("wall s", 9) + pad("floor s", 9) + pad("wall/floor", 12) + pad("req/s", 8) + pad("% of L", 8) + pad("429s", 6) + pad("retries", 9) + "failed rows")
        for setting in settings {
            let row = try await measure(setting)
            print(row)
        }
    }

    private func measure(_ setting: Setting) async throws -> String {
        let server = try await SeamSandboxServer.start()
        server.controls.setRateLimit(RateLimit(requestsPerSecond: limit, burst: 10))
        server.controls.setLatency(LatencyRule(fixedMilliseconds: 20, jitterMilliseconds: 40))
        let client = SeamClient(configuration: SeamConfiguration(apiKey: server.apiKey, endpoint: server.endpoint),
                                rateLimiter: SeamRateLimiter(rate: setting.rate, burst: setting.burst))
        let directory = try BenchmarkFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try BenchmarkFixtures.provisioningRun(reservations: reservations, options: ProvisioningOptions(concurrency: setting.concurrency),
                                                        client: client, in: directory)
        let report = try await run.run()
        let stats = client.stats.snapshot
        let counters = server.controls.counters()
        try await client.shutdown()
        await server.shutdown()

        let accepted = counters.accepted
        let wall = report.duration.inSeconds
        let floor = Double(accepted) / limit
        let achieved = Double(accepted) / wall
        return pad(setting.name, 32) + pad(String(format: "%.1f", wall), 9) + pad(String(format: "%.1f", floor), 9)
            + pad(String(format: "%.2f", wall / floor), 12) + pad(String(format: "%.1f", achieved), 8)
            + pad(String(format: "%.0f%%", achieved / limit * 100), 8) + pad("\(stats.rateLimited)", 6) + pad("\(stats.retries)", 9)
            + "\(report.summary.count(.failed))"
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
