import ArgumentParser
import Foundation
import KeyBatch
import SeamAPI
import SeamSandbox

/// Provisioning at Seam's real pace: a sandbox answering with a heavy-tailed latency (median
/// 400 ms, p95 1.5 s) and allowing L requests/s, against the window KeyBatch had (8 rows) and the
/// adaptive one (the CLI's default: `--concurrency` 128 as the ceiling). The floor, measured in
/// the same run, is accepted calls / L; the goal is ≥ 0.9·L with only `--rate L` set, ≥ 0.75·L
/// when Seam's real limit is 4× below `--rate`, and no 429 storm nor failed row when the latency
/// jumps from 100 ms to 2 s and back mid-run.
struct ThroughputBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "throughput")

    @Option(help: "Seconds of work at the floor per scenario (reservations = limit × this / 8).")
    var floorSeconds = 24.0

    @Option(help: "Run only the scenarios whose name contains this.")
    var only: String?

    @Flag(help: "Print, every second, rows and calls in flight, the limiter's rate and rows awaiting the site.")
    var trace = false

    struct Scenario {
        var name: String
        var limit: Double
        var rate: Double
        var adaptive: Bool
        var latencyJump = false

        /// Issue 13's goal for the scenario, judged on what was measured; nil for the "before" rows.
        func goal(_ result: Measurement) -> (text: String, met: Bool)? {
            guard adaptive else { return nil }
            if latencyJump {
                return ("no 429 storm (≤ 3), no timeout (0 retries), 0 failed",
                        result.rateLimited <= 3 && result.retries == 0 && result.failed == 0)
            }
            if rate > limit {
                return ("sustained ≥ 0.75·L, 0 failed", result.sustained >= 0.75 * limit && result.failed == 0)
            }
            return ("sustained ≥ 0.9·L, 0 429s", result.sustained >= 0.9 * limit && result.rateLimited == 0)
        }
    }

    /// What one scenario measured.
    struct Measurement {
        var sustained: Double
        var rateLimited: Int
        var retries: Int
        var failed: Int
        var line: String
    }

    func run() async throws {
        var scenarios: [Scenario] = []
        for limit in [10.0, 50, 100] {
            scenarios.append(Scenario(name: "L=\(Int(limit)) fixed 8", limit: limit, rate: limit, adaptive: false))
            scenarios.append(Scenario(name: "L=\(Int(limit)) adaptive", limit: limit, rate: limit, adaptive: true))
        }
        scenarios.append(Scenario(name: "L=25, --rate 100, adaptive", limit: 25, rate: 100, adaptive: true))
        scenarios.append(Scenario(name: "L=50 latency 0.1→2→0.1 s", limit: 50, rate: 50, adaptive: true, latencyJump: true))
        print("Heavy-tailed latency (median 400 ms, p95 1.5 s), sandbox limit L req/s (burst 10), --rate as given, --burst 10")
        print("req/s and of L: the whole run (with its start: the listing check, and its tail); sustained: the middle half of its calls")
        let columns = [("scenario", 30), ("rows", 6), ("wall s", 8), ("floor s", 9), ("req/s", 8), ("of L", 7), ("sustained", 11),
                       ("429s", 6), ("retries", 9), ("window", 8)]
        print(columns.map { pad($0.0, $0.1) }.joined() + "failed")
        var goals: [String] = []
        for scenario in scenarios where only.map({ scenario.name.contains($0) }) ?? true {
            let result = try await measure(scenario)
            print(result.line)
            if let (text, met) = scenario.goal(result) {
                goals.append("  \(pad(scenario.name, 30))\(text): \(met ? "met" : "NOT met")")
            }
        }
        print("Goals:")
        goals.forEach { print($0) }
    }

    private func measure(_ scenario: Scenario) async throws -> Measurement {
        let server = try await SeamSandboxServer.start()
        server.controls.setRateLimit(RateLimit(requestsPerSecond: scenario.limit, burst: 10))
        let profile = LatencyRule.heavyTailed(medianMilliseconds: 400, p95Milliseconds: 1500)
        server.controls.setLatency(scenario.latencyJump ? LatencyRule(fixedMilliseconds: 100) : profile)
        let client = SeamClient(configuration: SeamConfiguration(apiKey: server.apiKey, endpoint: server.endpoint),
                                rateLimiter: SeamRateLimiter(rate: scenario.rate, burst: 10), maximumConnections: 130)
        let directory = try BenchmarkFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reservations = max(10, Int(scenario.limit * floorSeconds / 8))
        let options = ProvisioningOptions(concurrency: scenario.adaptive ? 128 : 8, adaptiveConcurrency: scenario.adaptive)
        let run = try BenchmarkFixtures.provisioningRun(reservations: reservations, options: options, client: client, in: directory)
        // The jump: 2 s answers through the middle third of the expected run.
        let jump = Task {
            guard scenario.latencyJump else { return }
            try await Task.sleep(for: .seconds(floorSeconds / 3))
            server.controls.setLatency(LatencyRule(fixedMilliseconds: 2000))
            try await Task.sleep(for: .seconds(floorSeconds / 3))
            server.controls.setLatency(LatencyRule(fixedMilliseconds: 100))
        }
        let board = run.board
        let stats = client.stats
        // The largest window, and the calls made over time (every 100 ms).
        let watcher = Task {
            var peak = 0
            var samples: [(seconds: Double, calls: Int)] = []
            let started = ContinuousClock.now
            var tick = 0
            while !Task.isCancelled {
                let current = board.current
                peak = max(peak, current.inFlight)
                let calls = stats.snapshot.httpCalls
                samples.append(((ContinuousClock.now - started).inSeconds, calls))
                if trace, tick % 10 == 0 {
                    let rate = await client.rateLimiter.currentRate
                    let answered = stats.timing
                    let mean = answered.attempts > 0 ? answered.serviceSeconds / Double(answered.attempts) : 0
                    print(String(format: "  t=%5.1f rows=%3d calls=%3d inflight=%3d site=%3d written=%4d rate=%5.1f mean=%.2f",
                                 samples.last!.seconds, current.inFlight, calls, calls - answered.attempts, current.awaitingSite,
                                 current.rowsWritten, rate, mean))
                }
                tick += 1
                try? await Task.sleep(for: .milliseconds(100))
            }
            return (peak, samples)
        }
        let report = try await run.run()
        jump.cancel()
        watcher.cancel()
        let (window, samples) = await watcher.value
        let sustained = Self.middleRate(samples)
        let calls = client.stats.snapshot
        let counters = server.controls.counters()
        try await client.shutdown()
        await server.shutdown()

        let accepted = counters.accepted
        let wall = report.duration.inSeconds
        let floor = Double(accepted) / scenario.limit
        let achieved = Double(accepted) / wall
        let fields: [(String, Int)] = [
            (scenario.name, 30), ("\(reservations)", 6), (String(format: "%.1f", wall), 8), (String(format: "%.1f", floor), 9),
            (String(format: "%.1f", achieved), 8), (String(format: "%.2f", achieved / scenario.limit), 7),
            (String(format: "%.2f", sustained / scenario.limit), 11), ("\(calls.rateLimited)", 6), ("\(calls.retries)", 9), ("≤\(window)", 8),
        ]
        let failed = report.summary.count(.failed)
        return Measurement(sustained: sustained, rateLimited: calls.rateLimited, retries: calls.retries, failed: failed,
                           line: fields.map { pad($0.0, $0.1) }.joined() + "\(failed)")
    }

    /// Calls per second while the run is under way: from the moment a quarter of its calls were
    /// made to the moment three quarters were (the middle half of the calls, so neither the
    /// start nor the tail of rows waiting on their last answers and confirmations).
    static func middleRate(_ samples: [(seconds: Double, calls: Int)]) -> Double {
        guard let total = samples.last?.calls, total > 0 else { return 0 }
        guard let from = samples.first(where: { $0.calls * 4 >= total }), let to = samples.first(where: { $0.calls * 4 >= total * 3 }),
              to.seconds > from.seconds else { return 0 }
        return Double(to.calls - from.calls) / (to.seconds - from.seconds)
    }
}
