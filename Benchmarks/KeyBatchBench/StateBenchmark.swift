import ArgumentParser
import Foundation
import KeyBatch
import SeamAPI
import SeamSandbox

/// Nightly reruns with a state file.
/// A: a first run of N reservations, then a rerun where 1% changed: HTTP calls per row.
/// B: a rerun of 100,000 unchanged reservations by the release binary, pointed at an address
///    where nothing listens (any call would fail the row): wall time, calls, peak RSS, against
///    `keybatch validate` of the same file as the baseline measured in the same run.
struct StateBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "state")

    @Option var firstRunRows = 5_000
    @Option var rerunRows = 100_000
    @Option var binary = ".build/release/keybatch"

    func run() async throws {
        try await changedRerun()
        try await unchangedRerun()
    }

    private func changedRerun() async throws {
        let server = try await SeamSandboxServer.start()
        let client = SeamClient(configuration: SeamConfiguration(apiKey: server.apiKey, endpoint: server.endpoint),
                                rateLimiter: SeamRateLimiter(rate: 5_000, burst: 500))
        let directory = try BenchmarkFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let listings = try BenchmarkFixtures.write(BenchmarkFixtures.twoGroupListings, to: directory.appendingPathComponent("listings.csv"))
        let state = try StateStore.open(path: directory.appendingPathComponent("state.sqlite").path, runDescription: "bench")
        func provision(_ text: String) async throws -> ProvisioningReport {
            let input = InputOptions(reservationsPath: try BenchmarkFixtures.write(text, to: directory.appendingPathComponent("r.csv")), listingsPath: listings)
            return try await ProvisioningRun(input: input, resultsPath: directory.appendingPathComponent("results.csv").path,
                                             options: ProvisioningOptions(concurrency: 16), operations: SeamOperationsClient(client: client),
                                             state: state, logger: BenchmarkFixtures.quietLogger).run()
        }
        let guests = firstRunRows / 2
        let first = try await provision(BenchmarkFixtures.reservations(count: firstRunRows, guests: guests))
        let second = try await provision(BenchmarkFixtures.reservations(count: firstRunRows, guests: guests, shiftEvery: 100))
        try await client.shutdown()
        await server.shutdown()
        let changed = second.summary.count(.updated)
        print("A. state file, in-process sandbox, 2 access groups per reservation, 2 reservations per guest")
        print(String(format: "   first run: %d rows, %d HTTP calls, %.2f calls/row (goal <= 5 + g = 7), %.1f s",
                     firstRunRows, first.httpCalls, Double(first.httpCalls) / Double(firstRunRows), first.duration.inSeconds))
        print(String(format: "   rerun, 1%% changed: %d rows updated, %d unchanged, %d HTTP calls, %.2f calls per changed row, %.2f s",
                     changed, second.summary.count(.unchanged), second.httpCalls, changed > 0 ? Double(second.httpCalls) / Double(changed) : 0,
                     second.duration.inSeconds))
    }

    private func unchangedRerun() async throws {
        let directory = try BenchmarkFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // One stay per guest: the import records each reservation's keys as its guest's on the
        // site, which is last night's state only when no guest has two stays (one user each).
        let reservations = try BenchmarkFixtures.write(BenchmarkFixtures.reservations(count: rerunRows, guests: rerunRows),
                                                       to: directory.appendingPathComponent("reservations.csv"))
        let listings = try BenchmarkFixtures.write(BenchmarkFixtures.twoGroupListings, to: directory.appendingPathComponent("listings.csv"))
        let statePath = directory.appendingPathComponent("state.sqlite").path

        // Last night's state: every reservation provisioned.
        let (catalog, stream) = try InputOptions(reservationsPath: reservations, listingsPath: listings).open()
        var entries: [(reservation: Reservation, listing: Listing, keys: ProvisionedKeys)] = []
        while let row = try stream.next() {
            guard case .ready(let reservation) = row.verdict, let listing = catalog[reservation.listingID] else { continue }
            entries.append((reservation, listing, ProvisionedKeys(
                userIdentityID: UUID().uuidString.lowercased(), acsUserID: UUID().uuidString.lowercased(),
                accessGroupIDs: listing.accessGroupIDs, acsCredentialID: UUID().uuidString.lowercased(),
                schedule: AccessSchedule(startsAt: reservation.checkIn, endsAt: reservation.checkOut))))
        }
        try await StateStore.open(path: statePath, runDescription: "bench import").importProvisioned(entries)

        let validate = try await timed([binary, "validate", reservations, "--listings", listings, "--out", directory.appendingPathComponent("v.csv").path])
        let rerun = try await timed([binary, "provision", reservations, "--listings", listings, "--out", directory.appendingPathComponent("p.csv").path,
                               "--state", statePath], environment: ["SEAM_ENDPOINT": "http://127.0.0.1:9", "SEAM_API_KEY": "seam_bench_unused"])
        let calls = rerun.stderr.components(separatedBy: "Seam: ").dropFirst().first?.components(separatedBy: " HTTP calls").first ?? "?"
        print("B. rerun of \(rerunRows) unchanged reservations (release binary, Seam endpoint unreachable on purpose)")
        print(pad("", 3) + pad("command", 24) + pad("wall s", 9) + pad("peak RSS MB", 13) + "HTTP calls")
        print(pad("", 3) + pad("validate (baseline)", 24) + pad(String(format: "%.2f", validate.seconds), 9) + pad(String(format: "%.1f", validate.peakMB), 13) + "-")
        print(pad("", 3) + pad("provision --state", 24) + pad(String(format: "%.2f", rerun.seconds), 9) + pad(String(format: "%.1f", rerun.peakMB), 13) + calls)
        print(String(format: "   rerun / validate: %.2fx time; goal: under 3 s and 0 calls (exit status %d)", rerun.seconds / validate.seconds, rerun.status))
    }

    private struct Timing {
        var seconds: Double
        var peakMB: Double
        var status: Int32
        var stderr: String
    }

    /// Runs a command under GNU time when present (for peak RSS), else without an RSS figure;
    /// through `ChildRun`, so no thread of the cooperative pool is held while it runs.
    private func timed(_ arguments: [String], environment: [String: String] = [:]) async throws -> Timing {
        let gnuTime = "/usr/bin/time"
        let useTime = FileManager.default.isExecutableFile(atPath: gnuTime)
        let scratch = FileManager.default.temporaryDirectory
        let rssFile = scratch.appendingPathComponent("rss-\(UUID().uuidString)").path
        let stderrFile = scratch.appendingPathComponent("stderr-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(atPath: rssFile)
            try? FileManager.default.removeItem(at: stderrFile)
        }
        let start = ContinuousClock.now
        let status = try await ChildRun.run(useTime ? gnuTime : arguments[0],
                                            useTime ? ["-f", "%M", "-o", rssFile, "--"] + arguments : Array(arguments.dropFirst()),
                                            environment: environment, stderr: stderrFile)
        let seconds = (ContinuousClock.now - start).inSeconds
        let stderr = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
        let kilobytes = (try? String(contentsOfFile: rssFile, encoding: .utf8)).flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        return Timing(seconds: seconds, peakMB: kilobytes / 1024, status: status, stderr: stderr)
    }
}
