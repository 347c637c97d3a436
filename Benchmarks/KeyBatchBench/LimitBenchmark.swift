import ArgumentParser
import Foundation
import SeamSandbox

/// Issue 24's held-out goals for a whole night, measured on the release binary exactly as an
/// operator runs it: only `--rate L` set (every other flag at its default), against a sandbox that
/// allows L requests/s with a burst of 5 (smaller than `--burst`'s default: KeyBatch has to learn
/// it), answers with a heavy-tailed latency (median 400 ms, p95 1.5 s) and confirms at once.
///
/// The rate is judged on the whole run, from the process's start to its exit: the listing check
/// and lookups at the start, the last answers and confirmations at the tail. The floor is the
/// calls Seam accepted divided by L, measured in the same run.
///
/// The faults row: 5% of calls dropped in flight (half of them applied) and 5% answered 503, its
/// wall time against the floor of the calls the same reservations take without faults, and the
/// workspace then checked for any guest with two ACS users on a site or a user with two keys.
struct LimitBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "limit")

    @Option(help: "The keybatch binary.")
    var binary = ".build/release/keybatch"

    @Option(help: "Seconds of work at the floor per rate scenario (reservations ≈ L × this / 3.3, at least 220).")
    var floorSeconds = 20.0

    @Option(help: "Run only the scenarios whose name contains this.")
    var only: String?

    @Flag(help: "Keep each run's standard error at --log-level debug, with progress every second, in the temporary folder.")
    var trace = false

    struct Scenario {
        var name: String
        var limit: Double
        var reservations: Int
        var faults: FaultRule?
    }

    struct Measurement {
        var calls: Int
        var wall: Double
        var rateLimited: Int
        var failed: Int
        var rows: Int
        var duplicates: Int
        var status: Int32
    }

    func run() async throws {
        var scenarios: [Scenario] = []
        for limit in [10.0, 50, 100] {
            scenarios.append(Scenario(name: "L=\(Int(limit))", limit: limit, reservations: max(220, Int(limit * floorSeconds / 3.3))))
        }
        let faults = FaultRule(error503: 0.05, dropped: 0.05)
        scenarios.append(Scenario(name: "L=40, 5% dropped + 5% 503", limit: 40, reservations: 220, faults: faults))
        print("Release binary, only --rate L; sandbox limit L req/s with burst 5 (below --burst's default), latency median 400 ms / p95 1.5 s")
        print("of L: Seam-accepted calls / whole wall time (start and tail included) / L; floor: accepted calls / L")
        let columns = [("scenario", 28), ("rows", 6), ("calls", 7), ("floor s", 9), ("wall s", 8), ("of L", 7), ("wall/floor", 12),
                       ("429s", 6), ("failed", 8)]
        print(columns.map { pad($0.0, $0.1) }.joined() + "duplicates")
        var goals: [String] = []
        for scenario in scenarios where only.map({ scenario.name.contains($0) }) ?? true {
            let result = try await measure(scenario)
            var floorCalls = result.calls
            if scenario.faults != nil {
                // Its floor: the calls the same reservations take on a Seam without faults.
                var clean = scenario
                clean.faults = nil
                floorCalls = try await measure(clean).calls
            }
            let floor = Double(floorCalls) / scenario.limit
            let ofL = Double(result.calls) / result.wall / scenario.limit
            let fields: [(String, Int)] = [
                (scenario.name, 28), ("\(result.rows)", 6), ("\(result.calls)", 7), (String(format: "%.1f", floor), 9),
                (String(format: "%.1f", result.wall), 8), (String(format: "%.2f", ofL), 7), (String(format: "%.2f", result.wall / floor), 12),
                ("\(result.rateLimited)", 6), ("\(result.failed)", 8),
            ]
            print(fields.map { pad($0.0, $0.1) }.joined() + "\(result.duplicates)" + (result.status > 1 ? "  (exit \(result.status))" : ""))
            if scenario.faults == nil {
                let met = ofL >= 0.85 && result.rateLimited <= 2 && result.failed == 0
                goals.append("  \(pad(scenario.name, 28))whole run ≥ 0.85·L, ≤ 2 429s, 0 failed: \(met ? "met" : "NOT met")")
            } else {
                let met = result.wall / floor <= 1.6 && result.duplicates == 0 && result.failed == 0
                goals.append("  \(pad(scenario.name, 28))≤ 1.6× its floor, 0 duplicates, 0 failed: \(met ? "met" : "NOT met")")
            }
        }
        print("Goals:")
        goals.forEach { print($0) }
    }

    private func measure(_ scenario: Scenario) async throws -> Measurement {
        let server = try await SeamSandboxServer.start()
        server.controls.setRateLimit(RateLimit(requestsPerSecond: scenario.limit, burst: 5))
        server.controls.setLatency(LatencyRule.heavyTailed(medianMilliseconds: 400, p95Milliseconds: 1500))
        server.controls.setFaults(scenario.faults)
        let directory = try BenchmarkFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reservations = try BenchmarkFixtures.write(BenchmarkFixtures.reservations(count: scenario.reservations, guests: scenario.reservations),
                                                       to: directory.appendingPathComponent("reservations.csv"))
        let listings = try BenchmarkFixtures.write(BenchmarkFixtures.oneToThreeGroupListings, to: directory.appendingPathComponent("listings.csv"))
        let results = directory.appendingPathComponent("results.csv").path
        let started = ContinuousClock.now
        let status = try await ChildRun.run(binary, ["provision", reservations, "--listings", listings, "--out", results,
                                                     "--state", directory.appendingPathComponent("state.sqlite").path,
                                                     "--rate", "\(Int(scenario.limit))"] + (trace ? ["--progress-interval", "1", "--log-level", "debug"] : []),
                                            environment: ["SEAM_API_KEY": server.apiKey, "SEAM_ENDPOINT": server.endpoint],
                                            stderr: directory.appendingPathComponent("stderr.txt"))
        let wall = (ContinuousClock.now - started).inSeconds
        let counters = server.controls.counters()
        let duplicates = Self.duplicates(server.controls.dumpStateJSON())
        await server.shutdown()
        if trace {
            let kept = FileManager.default.temporaryDirectory.appendingPathComponent("keybatch-limit-\(Int(scenario.limit))\(scenario.faults == nil ? "" : "-faults").log")
            try? FileManager.default.removeItem(at: kept)
            try FileManager.default.copyItem(at: directory.appendingPathComponent("stderr.txt"), to: kept)
            print("  (its log at --log-level debug: \(kept.path))")
        }
        let rows = try String(contentsOfFile: results, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        let failed = rows.filter { $0.contains(",failed,") }.count
        return Measurement(calls: counters.accepted, wall: wall, rateLimited: counters.rateLimited, failed: failed, rows: rows.count,
                           duplicates: duplicates, status: status)
    }

    /// Guests with more than one ACS user on a system, plus users with more than one key.
    static func duplicates(_ dump: JSONValue) -> Int {
        var count = 0
        for workspace in dump["workspaces"]?.objectValue?.values.map({ $0 }) ?? [] {
            let users = workspace["acs_users"]?.objectValue?.values.map { $0 } ?? []
            let perGuestSite = Dictionary(grouping: users) { "\($0["user_identity_id"]?.stringValue ?? "-")/\($0["acs_system_id"]?.stringValue ?? "-")" }
            count += perGuestSite.values.reduce(0) { $0 + max(0, $1.count - 1) }
            let keys = workspace["credentials"]?.objectValue?.values.map { $0 } ?? []
            let perUser = Dictionary(grouping: keys) { $0["acs_user_id"]?.stringValue ?? "-" }
            count += perUser.values.reduce(0) { $0 + max(0, $1.count - 1) }
        }
        return count
    }
}
