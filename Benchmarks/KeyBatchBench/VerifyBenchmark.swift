import ArgumentParser
import Foundation
import KeyBatch
import SeamAPI
import SeamSandbox

/// `provision --verify` over N reservations (default 1,000) of which 1% drifted behind KeyBatch's
/// back (an ACS user deleted, a key deleted, a schedule moved, a group membership removed, a user
/// the site refused: in turn), against the sandbox at 40 ± 20 ms with pages of at most 500: the
/// calls per reservation (sweep included) against the goal of 1.1, and whether one run mended all.
/// Baselines in the same run: the same verify with nothing drifted (the sweep alone), and the
/// one-read-per-reservation floor a per-row check would cost at least (1 call per reservation).
struct VerifyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify")

    @Option var reservations = 1_000
    @Option var driftPercent = 1.0
    @Option var pageSize = 500

    func run() async throws {
        let server = try await SeamSandboxServer.start()
        let client = BenchmarkFixtures.unthrottledClient(server)
        let operations = SeamOperationsClient(client: client)
        let directory = try BenchmarkFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try BenchmarkFixtures.input(reservations: reservations, in: directory)
        let statePath = directory.appendingPathComponent("state.sqlite").path
        func provision(verify: Bool) async throws -> ProvisioningReport {
            let state = try StateStore.open(path: statePath, runDescription: "bench verify")
            return try await ProvisioningRun(input: input, resultsPath: directory.appendingPathComponent("results.csv").path,
                                             options: ProvisioningOptions(concurrency: 32, verify: verify),
                                             operations: operations, state: state, logger: BenchmarkFixtures.quietLogger).run()
        }
        print("Making \(reservations) reservations' keys (a provisioning run, no latency)…")
        _ = try await provision(verify: false)
        server.controls.setLatency(LatencyRule(fixedMilliseconds: 20, jitterMilliseconds: 40))
        server.controls.setMaxPageSize(pageSize)

        let clean = try await provision(verify: true)
        let drifted = try stageDrift(server, count: Int((Double(reservations) * driftPercent / 100).rounded()))
        let clock = ContinuousClock()
        let started = clock.now
        let mend = try await provision(verify: true)
        let seconds = (clock.now - started).inSeconds

        let catalog = try ListingCatalog.load(path: input.listingsPath)
        let audit = try await ExportRun(catalog: catalog, state: try StateStore.open(path: statePath, runDescription: "bench audit"),
                                        resultsPath: directory.appendingPathComponent("export.csv").path).run(operations: operations)
        try await client.shutdown()
        await server.shutdown()

        // A guest's later stays are `deferred` whatever was mended: the rows repaired are the others.
        let repaired = mend.summary.byStatus.filter { $0.key != .unchanged && $0.key != .deferred }.values.reduce(0, +)
        print("verify, nothing drifted: \(clean.httpCalls) calls for \(reservations) reservations = "
              + String(format: "%.4f", Double(clean.httpCalls) / Double(reservations)) + " calls per reservation (the sweep alone)")
        print("verify, \(drifted) drifted (\(driftPercent)%): \(mend.httpCalls) calls = "
              + String(format: "%.4f calls per reservation (goal ≤ 1.1; a read per reservation: ≥ 1.0), %.1f s", Double(mend.httpCalls) / Double(reservations), seconds)
              + "; \(repaired) rows repaired; export afterwards: \(audit.hasAlarm ? "DRIFT LEFT" : "no drift") ("
              + audit.byDrift.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + ")")
        if audit.hasAlarm || repaired != drifted { throw ExitCode(1) }
    }

    /// Changes `count` reservations in the console, one drift kind after another.
    private func stageDrift(_ server: SeamSandboxServer, count: Int) throws -> Int {
        let dump = try JSONSerialization.jsonObject(with: server.controls.dumpState()) as? [String: Any]
        let workspace = (dump?["workspaces"] as? [String: Any])?.values.first as? [String: Any]
        // Every guest's one user on the site (named after the guest since one user serves all their stays).
        let users = ((workspace?["acs_users"] as? [String: [String: Any]]) ?? [:]).values
            .filter { ($0["full_name"] as? String)?.hasPrefix("Guest ") == true }
            .sorted { ($0["full_name"] as! String) < ($1["full_name"] as! String) }
        let credentials = ((workspace?["credentials"] as? [String: [String: Any]]) ?? [:]).values
        let console = server.controls.console
        let step = max(1, users.count / max(1, count))
        var staged = 0
        for (index, user) in users.enumerated() where index % step == 0 && staged < count {
            let id = user["acs_user_id"] as! String
            switch staged % 5 {
            case 0: try console.deleteACSUser(id)
            case 1:
                guard let key = credentials.first(where: { $0["acs_user_id"] as? String == id })?["acs_credential_id"] as? String else { continue }
                try console.deleteCredential(key)
            case 2: try console.setAccessSchedule(startsAt: Date(timeIntervalSince1970: 1_900_000_000), endsAt: Date(timeIntervalSince1970: 1_900_500_000), acsUserID: id)
            case 3:
                guard let group = (user["access_group_ids"] as? [String])?.first else { continue }
                try console.removeFromAccessGroup(acsUserID: id, acsAccessGroupID: group)
            default: try console.addError(.failedToUpdateOnACSSystem, message: "bench", acsUserID: id)
            }
            staged += 1
        }
        return staged
    }
}
