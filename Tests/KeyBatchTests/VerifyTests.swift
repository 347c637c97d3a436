import Foundation
import Logging
import SeamAPI
import SeamSandbox
import Testing
@testable import KeyBatch

/// `provision --verify` and `plan --verify`: drift made behind KeyBatch's back, the way staff would
/// in Seam's console, is mended in one run (or shown, by plan), and a stranger is left alone.
@Suite struct VerifyTests {
    static let rows = ExportTests.rows + ["R-7,guest7@example.com,Guest 7,,A-101,2027-03-07T15:00:00Z,2027-03-17T11:00:00Z,confirmed"]
    static var catalog: ListingCatalog { ExportTests.catalog }
    static let writeRoutes = ["/user_identities/create", "/acs/users/create", "/acs/users/update", "/acs/users/delete",
                              "/acs/users/add_to_access_group", "/acs/users/remove_from_access_group",
                              "/acs/credentials/create", "/acs/credentials/delete"]

    /// Provisions R-1…R-7, cancels R-7, then changes Seam behind KeyBatch's back: one drift of each
    /// kind, and a stranger on the same system. Returns the stranger's id.
    static func stageEveryDrift(_ sandbox: SandboxHarness) async throws -> String {
        _ = try await sandbox.provision(ReservationFixtures.file(rows))
        _ = try await sandbox.provision(cancelled)
        let seam = try sandbox.seam()
        func user(_ number: Int) throws -> SandboxWorkspace.User { try #require(seam.users(named: "R-\(number)").first) }
        let console = sandbox.server.controls.console
        let listing = catalog["A-101"]!
        try console.deleteACSUser(try user(1).acsUserID)
        try console.deleteCredential(try #require(seam.credentials(of: try user(2).acsUserID).first).acsCredentialID)
        try console.setAccessSchedule(startsAt: Date(timeIntervalSince1970: 1_900_000_000), endsAt: Date(timeIntervalSince1970: 1_900_500_000),
                                      acsUserID: try user(3).acsUserID)
        try console.removeFromAccessGroup(acsUserID: try user(4).acsUserID, acsAccessGroupID: listing.accessGroupIDs[0])
        try console.addError(.failedToUpdateOnACSSystem, message: "site said no", acsUserID: try user(5).acsUserID)
        // R-7 was revoked; someone gives it an ACS user again (the guest would keep a door).
        _ = try await sandbox.client.createACSUser(.init(acsSystemID: listing.acsSystemID, fullName: "R-7"))
        return try await sandbox.client.createACSUser(.init(acsSystemID: listing.acsSystemID, fullName: "made-by-hand")).acsUserID
    }

    static var cancelled: String {
        var rows = Self.rows
        rows[6] = rows[6].replacingOccurrences(of: ",confirmed", with: ",cancelled")
        return ReservationFixtures.file(rows)
    }

    func writes(_ sandbox: SandboxHarness) -> Int {
        let requests = sandbox.server.controls.counters().requests
        return Self.writeRoutes.reduce(0) { $0 + (requests[$1]?.values.reduce(0, +) ?? 0) }
    }

    @Test func planVerifyShowsEveryRepairAndChangesNothing() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let stranger = try await Self.stageEveryDrift(sandbox)
            let statePath = sandbox.directory.path("state.sqlite")
            let recordsBefore = try StateStore.openForReading(path: statePath).allRecords()
            let writesBefore = writes(sandbox)
            let input = InputOptions(reservationsPath: try sandbox.directory.write("tonight.csv", Self.cancelled),
                                     listingsPath: SandboxHarness.samplesListings)
            let report = try await PlanRun(input: input, resultsPath: sandbox.directory.path("plan.csv"), options: ProvisioningOptions(verify: true),
                                           state: try StateStore.openForReading(path: statePath),
                                           operations: SeamOperationsClient(client: sandbox.client)).run(logger: Logger.silent)
            #expect(report.actions == [.repair: 6, .none: 1])
            #expect(report.strangers.map(\.acsUserID) == [stranger])
            let plan = Dictionary(uniqueKeysWithValues: try SandboxHarness.readResults(sandbox.directory.path("plan.csv")).map { ($0["reservation_id"]!, $0) })
            #expect(plan.mapValues { $0["error_message"]! } == [
                "R-1": "repair: missing_in_seam", "R-2": "repair: credential_missing", "R-3": "repair: schedule_differs",
                "R-4": "repair: groups_differ", "R-5": "repair: seam_error", "R-6": "", "R-7": "repair: not_revoked",
            ])
            #expect(writes(sandbox) == writesBefore)
            #expect(try StateStore.openForReading(path: statePath).allRecords() == recordsBefore)
        }
    }

    @Test func provisionVerifyMendsEveryDriftInOneRunAndLeavesTheStrangerAlone() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let stranger = try await Self.stageEveryDrift(sandbox)
            // Export reports each drift first.
            let (_, exportedBefore) = try await ExportTests.export(sandbox)
            #expect(Dictionary(exportedBefore.map { ($0["reservation_id"]!, $0["drift"]!) }, uniquingKeysWith: { "\($0) \($1)" }) == [
                "R-1": "missing_in_seam", "R-2": "credential_missing", "R-3": "schedule_differs", "R-4": "groups_differ",
                "R-5": "seam_error", "R-6": "ok", "R-7": "not_revoked", "made-by-hand": "unknown_to_state",
            ])
            let (report, results) = try await sandbox.provision(Self.cancelled, options: ProvisioningOptions(verify: true))
            let byID = Dictionary(uniqueKeysWithValues: results.map { ($0["reservation_id"]!, $0) })
            #expect(byID.mapValues { "\($0["status"]!) \($0["action"]!)" } == [
                "R-1": "provisioned repair", "R-2": "updated repair", "R-3": "updated repair", "R-4": "updated repair",
                "R-5": "provisioned repair", "R-6": "unchanged none", "R-7": "revoked repair",
            ])
            #expect(report.strangers.map(\.acsUserID) == [stranger])

            // Seam is as the file says: one user per current reservation with its stay, groups and
            // key; none for R-7; the stranger untouched.
            let seam = try sandbox.seam()
            ProvisioningRunTests.expectProvisionedExactlyOnce(results.filter { $0["reservation_id"] != "R-7" }, in: seam,
                                                              catalog: ProvisioningRunTests.catalog)
            #expect(seam.users(named: "R-7").isEmpty)
            #expect(seam.acsUsers[stranger] != nil)
            #expect(seam.users(named: "R-5").count == 1)

            // Export agrees: nothing left to mend, the stranger still reported.
            let (exported, rows) = try await ExportTests.export(sandbox)
            #expect(!exported.hasAlarm)
            #expect(Set(rows.map { $0["drift"]! }) == ["ok", "unknown_to_state"])

            // A second verify finds nothing: no write, and the reads are the one system's sweep
            // (users, credentials, its access groups and each group's members), not a call per row.
            let writesBefore = writes(sandbox)
            let before = sandbox.requestCount()
            let (again, _) = try await sandbox.provision(Self.cancelled, options: ProvisioningOptions(verify: true))
            #expect(again.summary.byStatus == [.unchanged: 7])
            #expect(writes(sandbox) == writesBefore)
            let groupsOnTheSystem = 4  // samples/listings.csv's groups on system 1111…
            #expect(sandbox.requestCount() - before == 3 + groupsOnTheSystem)
        }
    }

    /// The planner's mapping from what Seam shows to the mend, for what the sandbox cannot stage.
    @Test func aMendStartsFromWhatSeamShowsNeverFromTheState() {
        let listing = PlannerTests.listing
        let reservation = PlannerTests.reservation()
        let row = PlannerTests.row(reservation)
        let stay = Stay(reservation, at: listing)
        let record = PlannerTests.record(of: reservation)
        let schedule = AccessSchedule(startsAt: reservation.checkIn, endsAt: reservation.checkOut)
        let planner = Planner(hasState: true, cleanupExpired: false)
        #expect(planner.decide(row, record: record, listing: listing) == .none(.unchanged))
        let user = ACSUserState(acsUserID: "user-1", schedule: schedule)
        let key = CredentialState(acsCredentialID: "key-1", acsUserID: "user-1", isSynced: false)
        let groups = Set(listing.accessGroupIDs)
        // In step, or only the phone still syncing: nothing to mend.
        #expect(planner.decide(row, record: record, listing: listing, seam: .present(user, keys: [key], groups: groups)) == .none(.unchanged))
        // A key the site refused: user and key are made again.
        var refused = key
        refused.errors = [SeamIssue(code: "failed_to_create_on_acs_system", message: "")]
        guard case .repair(.seamError, .replace(_, let old)) = planner.decide(row, record: record, listing: listing,
                                                                              seam: .present(user, keys: [refused], groups: groups)) else {
            Issue.record("a refused key is not replaced")
            return
        }
        // Recorded as a refusal before the replacement starts, so one that stops short is replaced again.
        #expect(old.keys.acsUserID == "user-1" && old.keys.acsCredentialID == "key-1" && old.refusal == "failed_to_create_on_acs_system")
        // One group gone: the update starts from Seam's groups and keeps the key that is there.
        let fewer = groups.subtracting(["g1"])
        #expect(planner.decide(row, record: record, listing: listing, seam: .present(user, keys: [key], groups: fewer))
            == .repair(.groupsDiffer, .provision(.update, stay, .trusted(KnownProgress(keys: ProvisionedKeys(
                userIdentityID: "identity-1", acsUserID: "user-1", accessGroupIDs: ["g2"], acsCredentialID: "key-1", schedule: schedule))))))
        // Being deleted behind KeyBatch's back: tracked until Seam no longer has it (its deletion may
        // still be refused); nothing is made beside it this run.
        var leaving = user
        leaving.warnings = ["being_deleted"]
        #expect(planner.decide(row, record: record, listing: listing, seam: .present(leaving, keys: [key], groups: groups)) == .none(.unchanged))
        // Absent from the sweep: a new user, looked up by natural key first (the sweep's absence is
        // no proof), and one found that way has its groups read, not trusted.
        #expect(planner.decide(row, record: record, listing: listing, seam: .absent) == .repair(.missingInSeam, .provision(.create, stay,
            .trusted(KnownProgress(keys: ProvisionedKeys(userIdentityID: "identity-1"), acsUserIntended: true)))))
        // A row that is not unchanged is never second-guessed by the sweep.
        var moved = record
        moved.fingerprint = Fingerprint(value: "older")
        #expect(planner.decide(row, record: moved, listing: listing, seam: .absent) == planner.decide(row, record: moved, listing: listing))
        // A revoked reservation whose user Seam still holds: revoked again, where it was made.
        let cancelled = PlannerTests.reservation(status: .cancelled)
        var revoked = PlannerTests.record(of: cancelled, status: .revoked, keys: ProvisionedKeys(userIdentityID: "identity-1"))
        revoked.awaiting = nil
        #expect(planner.decide(PlannerTests.row(cancelled), record: revoked, listing: listing) == .none(.unchanged))
        #expect(planner.decide(PlannerTests.row(cancelled), record: revoked, listing: listing, seam: .present(user, keys: [key], groups: groups))
            == .repair(.notRevoked, .revoke(Stay(cancelled, at: listing), .trusted(KnownProgress(
                keys: ProvisionedKeys(acsUserID: "user-1", acsCredentialID: "key-1"), location: RevocationTarget(revoked))))))
    }

    /// kill -9 of a `provision --verify` between a mend's create and its record: the next run
    /// finishes every mend from the state's record of Seam's ids, and nothing is made twice.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashSafetyTests.binary), "needs the keybatch binary (swift build)"))
    func aMendKilledBetweenACreateAndItsRecordIsFinishedWithoutADuplicate() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let reservations = try sandbox.directory.write("reservations.csv", ReservationFixtures.file(Self.rows))
            let arguments = ["provision", reservations, "--listings", SandboxHarness.samplesListings, "--out", sandbox.directory.path("results.csv"),
                             "--state", sandbox.directory.path("state.sqlite"), "--confirm-timeout", "5", "--request-timeout", "2"]
            let environment = ["SEAM_ENDPOINT": sandbox.server.endpoint, "SEAM_API_KEY": sandbox.server.apiKey]
            let first = try await ChildProcess.run(CrashSafetyTests.binary, arguments, environment: environment)
            #expect(first.status == 0, "\(first.stderrText)")

            // Behind KeyBatch's back: three keys and one user deleted.
            let seam = try sandbox.seam()
            let console = sandbox.server.controls.console
            for number in 1...3 {
                let user = try #require(seam.users(named: "R-\(number)").first)
                try console.deleteCredential(try #require(seam.credentials(of: user.acsUserID).first).acsCredentialID)
            }
            try console.deleteACSUser(try #require(seam.users(named: "R-4").first).acsUserID)

            let killed = try await ChildProcess.run(CrashSafetyTests.binary, arguments + ["--verify"],
                                                    environment: environment.merging(["KEYBATCH_FAILPOINT": "kill-after-create:2"]) { $1 })
            #expect(killed.killedBySIGKILL, "\(killed.stderrText)")
            let finished = try await ChildProcess.run(CrashSafetyTests.binary, arguments + ["--verify"], environment: environment)
            #expect(finished.status == 0, "\(finished.stderrText)")

            let after = try sandbox.seam()
            let records = try StateStore.openForReading(path: sandbox.directory.path("state.sqlite")).allRecords()
            for number in 1...7 {
                let users = after.users(named: "R-\(number)")
                #expect(users.count == 1, "R-\(number): \(users.count) ACS users")
                let keys = users.flatMap { after.credentials(of: $0.acsUserID) }
                #expect(keys.count == 1, "R-\(number): \(keys.count) keys")
                let record = records.first { $0.reservationID == "R-\(number)" }
                #expect(record?.keys.acsUserID == users.first?.acsUserID && record?.keys.acsCredentialID == keys.first?.acsCredentialID)
            }
            #expect(Set(records.compactMap(\.keys.acsUserID)) == Set(after.acsUsers.keys))
        }
    }
}
