import Foundation
import Logging
import SeamAPI
import SeamSandbox
import Testing
@testable import KeyBatch

/// Nightly runs with the state file: only what changed is touched, changes are followed in Seam.
@Suite(.serialized) struct StateRunTests {
    static func row(_ id: String, _ email: String, _ listing: String, _ checkIn: String = "2027-03-01T15:00:00Z",
                    _ checkOut: String = "2027-03-04T11:00:00Z", _ status: String = "confirmed") -> String {
        "\(id),\(email),,,\(listing),\(checkIn),\(checkOut),\(status)"
    }

    /// A cancelled reservation no run ever gave a key: looked up once (an earlier tool may have),
    /// then never again while the export keeps listing it.
    @Test func aCancelledRowNeverProvisionedIsLookedUpOnceOnly() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let file = ReservationFixtures.file([Self.row("R-1", "a@example.com", "A-101"),
                                                 Self.row("R-2", "b@example.com", "A-101", "2027-03-01T15:00:00Z", "2027-03-04T11:00:00Z", "cancelled")])
            let (_, first) = try await sandbox.provision(file)
            #expect(first.map { $0["status"]! } == ["provisioned", "unchanged"])
            let before = sandbox.requestCount()
            let (_, again) = try await sandbox.provision(file)
            #expect(sandbox.requestCount() == before)
            #expect(again.map { $0["status"]! } == ["unchanged", "unchanged"])
        }
    }

    @Test func anUnchangedRerunMakesNoCall() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let file = ReservationFixtures.file(ReservationFixtures.rows(count: 40, guests: 15))
            let (first, _) = try await sandbox.provision(file)
            #expect(first.summary.count(.provisioned) == 40)
            let before = sandbox.requestCount()
            let (second, results) = try await sandbox.provision(file)
            #expect(second.httpCalls == 0)
            #expect(sandbox.requestCount() == before)
            #expect(results.allSatisfy { $0["status"] == "unchanged" && $0["action"] == "none" && !($0["acs_credential_id"] ?? "").isEmpty })
        }
    }

    /// A new guest: identity lookup and create, ACS user lookup (a reservation the state does not
    /// know may exist in Seam) and create, g group adds, key create; a known guest one call less.
    @Test func aNewReservationCostsAtMostFiveCallsPlusItsGroups() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            // Warm the state with one row so the listing preflight is not part of the figure.
            _ = try await sandbox.provision(ReservationFixtures.file([Self.row("R-0", "z@example.com", "B-201")]))
            let (_, results) = try await sandbox.provision(ReservationFixtures.file([
                Self.row("R-0", "z@example.com", "B-201"), Self.row("R-1", "new@example.com", "B-201"), Self.row("R-2", "z@example.com", "A-101"),
            ]))
            #expect(results.map { $0["status"]! } == ["unchanged", "provisioned", "provisioned"])
            #expect(Int(results[1]["http_calls"]!)! <= 5 + 3)
            #expect(Int(results[2]["http_calls"]!)! <= 4 + 2)
        }
    }

    @Test func movedDatesChangedListingsEmailsAndCancellationsReachSeam() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let original = [
                Self.row("R-1", "a@example.com", "A-101"), Self.row("R-2", "b@example.com", "A-101"),
                Self.row("R-3", "c@example.com", "A-101"), Self.row("R-4", "d@example.com", "A-101"),
                Self.row("R-5", "e@example.com", "B-201"),
            ]
            let (_, first) = try await sandbox.provision(ReservationFixtures.file(original))
            let oldUser = { (id: String) in first.first { $0["reservation_id"] == id }!["acs_user_id"]! }
            let changed = [
                Self.row("R-1", "a@example.com", "A-101", "2027-03-02T15:00:00Z", "2027-03-06T11:00:00Z"),  // dates moved
                Self.row("R-2", "b@example.com", "A-102"),                                                  // listing, same system
                Self.row("R-3", "c@example.com", "B-305"),                                                  // listing on another system
                Self.row("R-4", "d.new@example.com", "A-101"),                                              // guest email changed
                Self.row("R-5", "e@example.com", "B-201", "2027-03-01T15:00:00Z", "2027-03-04T11:00:00Z", "cancelled"),
            ]
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(changed))
            #expect(report.summary.count(.failed) == 0)
            // A new site or a new guest: the stay's access is made there and ends where it was.
            #expect(results.map { $0["action"]! } == ["update", "update", "create", "create", "revoke"])
            #expect(results.map { $0["status"]! } == ["updated", "updated", "provisioned", "provisioned", "revoked"])
            let seam = try sandbox.seam()
            let r1 = try #require(seam.users(ofGuest: "a@example.com").first)
            #expect(r1.acsUserID == oldUser("R-1"))
            #expect(r1.accessSchedule?.startsAt.hasPrefix("2027-03-02T15:00:00") == true)
            #expect(r1.accessSchedule?.endsAt?.hasPrefix("2027-03-06T11:00:00") == true)
            let r2 = try #require(seam.users(ofGuest: "b@example.com").first)
            #expect(Set(r2.accessGroupIDs) == ["55555555-5555-5555-5555-555555555555", "c8e2a7d4-61f3-4b09-8d5e-2f7a1c9b4e60"])
            let r3 = seam.users(ofGuest: "c@example.com")
            #expect(r3.count == 1)
            #expect(r3.first?.acsSystemID == "7d3f5a2e-9c41-4b8e-a6d2-0f5e8c1b3a97")
            #expect(seam.acsUsers[oldUser("R-3")] == nil)
            let r4 = seam.users(ofGuest: "d.new@example.com")
            #expect(r4.count == 1)
            #expect(seam.users(ofGuest: "d@example.com").isEmpty)
            #expect(seam.identities(email: "d@example.com").count == 1)  // the old guest keeps their identity
            #expect(seam.users(ofGuest: "e@example.com").isEmpty)
            #expect(seam.identities(email: "e@example.com").count == 1)
            #expect(seam.credentials.count == 4)
            // And the next night, nothing left to do.
            let before = sandbox.requestCount()
            let (_, again) = try await sandbox.provision(ReservationFixtures.file(changed))
            #expect(sandbox.requestCount() == before)
            #expect(again.allSatisfy { $0["status"] == "unchanged" })
        }
    }

    @Test func syncRevokesWhatTheFileNoLongerListsWithinTheGuard() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let rows = ReservationFixtures.rows(count: 30, guests: 30)
            _ = try await sandbox.provision(ReservationFixtures.file(rows))
            // A truncated export: 20 of 30 gone, above the default guard of 10% (3).
            let (blocked, _) = try await sandbox.provision(ReservationFixtures.file(Array(rows.prefix(10))), options: ProvisioningOptions(sync: true))
            guard case .aborted(let reason) = blocked.outcome else {
                Issue.record("expected aborted, got \(blocked.outcome)")
                return
            }
            #expect(reason.contains("20"))
            #expect(try sandbox.seam().acsUsers.count == 30)
            // Without --sync nothing is revoked either.
            _ = try await sandbox.provision(ReservationFixtures.file(Array(rows.prefix(27))))
            #expect(try sandbox.seam().acsUsers.count == 30)
            // Three gone is within the guard.
            let (synced, results) = try await sandbox.provision(ReservationFixtures.file(Array(rows.prefix(27))), options: ProvisioningOptions(sync: true))
            #expect(synced.outcome == .completed)
            #expect(results.count == 30)
            #expect(results.suffix(3).allSatisfy { $0["status"] == "revoked" && $0["line"] == "" })
            #expect(try sandbox.seam().acsUsers.count == 27)
        }
    }

    @Test func cleanupExpiredDeletesTheACSUsersOfPastStays() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let file = ReservationFixtures.file([Self.row("R-1", "a@example.com", "A-101"), Self.row("R-2", "b@example.com", "A-101",
                                                                                                      "2027-03-01T15:00:00Z", "2027-09-01T11:00:00Z")])
            _ = try await sandbox.provision(file, now: Timestamp(year: 2027, month: 2, day: 1))
            // A month later R-1's stay is over; without the flag it is only reported as expired.
            let later = Timestamp(year: 2027, month: 4, day: 1)
            let (_, kept) = try await sandbox.provision(file, now: later)
            #expect(kept.map { $0["status"]! } == ["expired", "unchanged"])
            #expect(try sandbox.seam().users(ofGuest: "a@example.com").count == 1)
            let (_, cleaned) = try await sandbox.provision(file, options: ProvisioningOptions(cleanupExpired: true), now: later)
            #expect(cleaned.map { $0["action"]! } == ["cleanup", "none"])
            #expect(cleaned.map { $0["status"]! } == ["revoked", "unchanged"])
            #expect(try sandbox.seam().users(ofGuest: "a@example.com").isEmpty)
            #expect(try sandbox.seam().users(ofGuest: "b@example.com").count == 1)
            let (_, again) = try await sandbox.provision(file, options: ProvisioningOptions(cleanupExpired: true), now: later)
            #expect(again.map { $0["status"]! } == ["expired", "unchanged"])
        }
    }

    @Test func syncKeepsReservationsWhoseRowIsUnreadable() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let rows = [Self.row("R-1", "a@example.com", "A-101"), Self.row("R-2", "b@example.com", "A-101")]
            _ = try await sandbox.provision(ReservationFixtures.file(rows))
            // Tonight R-2's row has a stray comma: unreadable, but still a current reservation.
            let broken = [rows[0], rows[1].replacingOccurrences(of: "b@example.com", with: "b@example.com,extra")]
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(broken), options: ProvisioningOptions(sync: true, maxRevocations: 5))
            #expect(report.outcome == .completed)
            #expect(results.map { $0["status"]! } == ["unchanged", "invalid"])
            #expect(try sandbox.seam().users(ofGuest: "b@example.com").count == 1)
        }
    }

    @Test func anEarlyDepartureRevokesTheKey() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            _ = try await sandbox.provision(ReservationFixtures.file([Self.row("R-1", "a@example.com", "A-101", "2027-03-01T15:00:00Z", "2027-03-20T11:00:00Z")]),
                                            now: Timestamp(year: 2027, month: 2, day: 1))
            // On March 10 the export says the guest left on March 8.
            let (_, results) = try await sandbox.provision(ReservationFixtures.file([Self.row("R-1", "a@example.com", "A-101", "2027-03-01T15:00:00Z", "2027-03-08T11:00:00Z")]),
                                                           now: Timestamp(year: 2027, month: 3, day: 10))
            #expect(results.map { $0["status"]! } == ["revoked"])
            #expect(try sandbox.seam().users(ofGuest: "a@example.com").isEmpty)
        }
    }

    @Test func planChangesNothing() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let rows = ReservationFixtures.rows(count: 10, guests: 10)
            _ = try await sandbox.provision(ReservationFixtures.file(rows))
            let statePath = sandbox.directory.path("state.sqlite")
            let recordsBefore = try StateStore.openForReading(path: statePath).activeRecords()
            let requestsBefore = sandbox.requestCount()
            var changed = Array(rows.prefix(8))
            changed[0] = changed[0].replacingOccurrences(of: "2027-04-", with: "2027-05-")
            changed.append(Self.row("R-new", "n@example.com", "A-101"))
            let input = InputOptions(reservationsPath: try sandbox.directory.write("tonight.csv", ReservationFixtures.file(changed)),
                                     listingsPath: SandboxHarness.samplesListings)
            let report = try await PlanRun(input: input, resultsPath: sandbox.directory.path("plan.csv"), options: ProvisioningOptions(sync: true, maxRevocations: 5),
                                     state: try StateStore.openForReading(path: statePath)).run(logger: Logger.silent)
            #expect(report.actions == [.update: 1, .none: 7, .create: 1, .revoke: 2])
            #expect(sandbox.requestCount() == requestsBefore)
            #expect(try StateStore.openForReading(path: statePath).activeRecords() == recordsBefore)
            #expect(try StateStore.openForReading(path: statePath).runs().count == 1)
        }
    }

    @Test func aSecondRunOnTheSameStateFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("state.sqlite")
        let first = try StateStore.open(path: path, runDescription: "keybatch provision tonight.csv")
        #expect {
            try StateStore.open(path: path, runDescription: "second")
        } throws: { error in
            String(describing: error).contains("in use by another keybatch run (keybatch provision tonight.csv, pid \(getpid())")
        }
        _ = first
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func theStateFileNeverHoldsTheKey() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            _ = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 5, guests: 5)))
            for name in try FileManager.default.contentsOfDirectory(atPath: sandbox.directory.url.path) {
                let data = try Data(contentsOf: sandbox.directory.url.appendingPathComponent(name))
                #expect(data.range(of: Data(sandbox.server.apiKey.utf8)) == nil, "\(name) holds the API key")
            }
        }
    }
}
