import Foundation
import SeamSandbox
import Testing
@testable import KeyBatch

/// kill -9 of a real `keybatch provision` process, again and again, while the sandbox injects
/// ambiguous failures and its Salto KS site applies changes late; then reruns until done. Seam must end with exactly one of everything and
/// nothing the state does not know, and the results must account for every row exactly once.
@Suite(.serialized) struct CrashSafetyTests {
    static let packageRoot = PackageRoot.url
    /// The binary the tests run: `.build/debug/keybatch`, or `KEYBATCH_BINARY` (`make test-sanitize`
    /// points it at the sanitized build's, so the processes it starts are checked too).
    static let binary = ProcessInfo.processInfo.environment["KEYBATCH_BINARY"]
        ?? packageRoot.appendingPathComponent(".build/debug/keybatch").path

    private func launch(_ sandbox: SandboxHarness, extraEnvironment: [String: String] = [:]) throws -> ChildProcess {
        let arguments = [
            "provision", sandbox.directory.path("reservations.csv"), "--listings", SandboxHarness.samplesListings,
            "--out", sandbox.directory.path("results.csv"), "--state", sandbox.directory.path("state.sqlite"),
            "--rate", "400", "--burst", "100", "--concurrency", "4", "--request-timeout", "1", "--max-attempts", "8",
        ]
        let environment = ["SEAM_ENDPOINT": sandbox.server.endpoint, "SEAM_API_KEY": sandbox.server.apiKey]
        return try ChildProcess(Self.binary, arguments, environment: environment.merging(extraEnvironment) { $1 })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"),
          .timeLimit(.minutes(4)))
    func killNineAtRandomMomentsNeverDuplicatesNorLosesAnything() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let count = 300
            let guests = 80
            _ = try sandbox.directory.write("reservations.csv", ReservationFixtures.file(ReservationFixtures.rows(count: count, guests: guests)))
            for route in ["/user_identities/create", "/acs/users/create", "/acs/credentials/create"] {
                sandbox.server.controls.setFaults(FaultRule(ambiguous500: 0.1, ambiguousTimeout: 0.03, holdSeconds: 2), route: route)
            }
            sandbox.server.controls.setLatency(LatencyRule(fixedMilliseconds: 8, jitterMilliseconds: 4))
            // The Salto KS site takes its time, as real Seam's does: kills also land while rows
            // wait for confirmation, and the final runs must confirm what earlier ones left pending.
            sandbox.server.controls.setProviderBehavior(ProviderBehavior(syncDelay: 0.3))

            var generator = SystemRandomNumberGenerator()
            var kills = 0
            var failpointKills = 0
            var attempt = 0
            while (kills < 10 || failpointKills < 12) && attempt < 60 {
                attempt += 1
                if failpointKills < 12 && (attempt % 2 == 0 || kills >= 10) {
                    // Die exactly between a create and the record of its id.
                    let process = try launch(sandbox, extraEnvironment: ["KEYBATCH_FAILPOINT": "kill-after-create:\(Int.random(in: 1...4, using: &generator))"])
                    if try await process.exit().killedBySIGKILL { failpointKills += 1 }
                } else {
                    // Die at a random moment.
                    let process = try launch(sandbox)
                    try await Task.sleep(for: .milliseconds(Int.random(in: 50...300, using: &generator)))
                    if process.isRunning {
                        process.kill()
                        kills += 1
                    }
                    _ = try await process.exit()
                }
            }
            #expect(failpointKills >= 12)
            #expect(kills >= 10)

            // Rerun, without faults now, until the run completes.
            sandbox.server.controls.setFaults(nil, route: nil)
            for route in ["/user_identities/create", "/acs/users/create", "/acs/credentials/create"] {
                sandbox.server.controls.setFaults(nil, route: route)
            }
            var finalStatus: Int32 = -1
            for _ in 0..<5 where finalStatus != 0 {
                finalStatus = try await launch(sandbox).exit().status
            }
            #expect(finalStatus == 0)

            let results = try SandboxHarness.readResults(sandbox.directory.path("results.csv"))
            #expect(results.count == count)
            #expect(results.allSatisfy { ["provisioned", "unchanged", "deferred"].contains($0["status"]) })
            #expect(Set(results.map { $0["reservation_id"]! }).count == count)
            let seam = try sandbox.seam()
            ProvisioningRunTests.expectProvisionedExactlyOnce(results, in: seam, catalog: ProvisioningRunTests.catalog)
            // One user and one key per guest and site, and the state knows each of them.
            let sites = Set(results.map { "\($0["guest_email"]!)/\(ProvisioningRunTests.catalog[$0["listing_id"]!]!.acsSystemID)" })
            #expect(seam.acsUsers.count == sites.count)
            #expect(seam.credentials.count == sites.count)
            #expect(seam.userIdentities.count == guests)
            let known = try StateStore.openForReading(path: sandbox.directory.path("state.sqlite")).siteRecords().values
            #expect(Set(known.compactMap(\.keys.acsUserID)) == Set(seam.acsUsers.keys))
            #expect(Set(known.compactMap(\.keys.acsCredentialID)) == Set(seam.credentials.keys))
        }
    }
}
