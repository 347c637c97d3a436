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
        func user(_ number: Int) throws -> SandboxWorkspace.User { try #require(seam.users(ofGuest: "guest\(number)@example.com").first) }
        let console = sandbox.server.controls.console
        let listing = catalog["A-101"]!
        try console.deleteACSUser(try user(1).acsUserID)
        try console.deleteCredential(try #require(seam.credentials(of: try user(2).acsUserID).first).acsCredentialID)
        try console.setAccessSchedule(startsAt: Date(timeIntervalSince1970: 1_900_000_000), endsAt: Date(timeIntervalSince1970: 1_900_500_000),
                                      acsUserID: try user(3).acsUserID)
        try console.removeFromAccessGroup(acsUserID: try user(4).acsUserID, acsAccessGroupID: listing.accessGroupIDs[0])
        try console.addError(.failedToUpdateOnACSSystem, message: "site said no", acsUserID: try user(5).acsUserID)
        // R-7 was revoked; someone gives guest 7 an ACS user again (the guest would keep a door).
        let identity = try #require(seam.identities(email: "guest7@example.com").first).userIdentityID
        _ = try await sandbox.client.createACSUser(.init(acsSystemID: listing.acsSystemID, fullName: "Guest 7", userIdentityID: identity))
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
            #expect(Dictionary(exportedBefore.map { (ExportTests.key($0), $0["drift"]!) }, uniquingKeysWith: { "\($0) \($1)" }) == [
                "R-1": "missing_in_seam", "R-2": "credential_missing", "R-3": "schedule_differs", "R-4": "groups_differ",
                "R-5": "seam_error", "R-6": "ok", "Guest 7": "not_revoked", "made-by-hand": "unknown_to_state",
            ])
            let (report, results) = try await sandbox.provision(Self.cancelled, options: ProvisioningOptions(verify: true))
            let byID = Dictionary(uniqueKeysWithValues: results.map { ($0["reservation_id"]!, $0) })
            #expect(byID.mapValues { "\($0["status"]!) \($0["action"]!)" } == [
                "R-1": "updated repair", "R-2": "updated repair", "R-3": "updated repair", "R-4": "updated repair",
                "R-5": "updated repair", "R-6": "unchanged none", "R-7": "revoked repair",
            ])
            #expect(report.strangers.map(\.acsUserID) == [stranger])

            // Seam is as the file says: one user per current reservation with its stay, groups and
            // key; none for R-7; the stranger untouched.
            let seam = try sandbox.seam()
            ProvisioningRunTests.expectProvisionedExactlyOnce(results.filter { $0["reservation_id"] != "R-7" }, in: seam,
                                                              catalog: ProvisioningRunTests.catalog)
            #expect(seam.users(ofGuest: "guest7@example.com").isEmpty)
            #expect(seam.acsUsers[stranger] != nil)
            #expect(seam.users(ofGuest: "guest5@example.com").count == 1)

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
        let reservation = PlannerTests.reservation()
        let listing = PlannerTests.listing
        let book = PlannerTests.book([Stay(reservation, at: listing)], records: [PlannerTests.record(of: reservation)], sites: [PlannerTests.siteRecord()])
        let plan = try! #require(book.plans[PlannerTests.site])
        #expect(plan.action == .none)
        let planner = SitePlanner(hasState: true, cleanupExpired: false, now: PlannerTests.now)
        let schedule = AccessSchedule(startsAt: reservation.checkIn, endsAt: reservation.checkOut)
        let user = ACSUserState(acsUserID: "user-1", userIdentityID: "identity-1", schedule: schedule)
        let key = CredentialState(acsCredentialID: "key-1", acsUserID: "user-1", isSynced: false)
        let groups = Set(listing.accessGroupIDs)
        // In step, or only the phone still syncing: nothing to mend.
        #expect(planner.repair(plan, seam: .present(user, keys: [key], groups: groups)) == nil)
        // A key the site refused: recorded as a refusal, so the user goes and is made again.
        var refused = key
        refused.errors = [SeamIssue(seam: SeamCode("failed_to_create_on_acs_system"), message: "")]
        guard case .repair(.seamError, .hold(_, _, .trusted(let seen)))? = planner.repair(plan, seam: .present(user, keys: [refused], groups: groups))?.action else {
            Issue.record("a refused key is not replaced")
            return
        }
        #expect(seen.keys.acsUserID == "user-1" && seen.keys.acsCredentialID == "key-1" && seen.refusal == "failed_to_create_on_acs_system")
        // One group gone: the update starts from Seam's groups and keeps the key that is there.
        guard case .repair(.groupsDiffer, .hold(_, _, .trusted(let fewer)))? = planner.repair(plan, seam: .present(user, keys: [key], groups: ["g2"]))?.action else {
            Issue.record("a missing group is not mended")
            return
        }
        #expect(fewer.keys == ProvisionedKeys(userIdentityID: "identity-1", acsUserID: "user-1", accessGroupIDs: ["g2"], acsCredentialID: "key-1", schedule: schedule))
        // Being deleted behind KeyBatch's back: tracked until Seam no longer has it.
        var leaving = user
        leaving.warnings = ["being_deleted"]
        #expect(planner.repair(plan, seam: .present(leaving, keys: [key], groups: groups)) == nil)
        // Absent from the sweep: looked up by natural key before anything is made.
        guard case .repair(.missingInSeam, .hold(_, _, .trusted(let missing)))? = planner.repair(plan, seam: .absent)?.action else {
            Issue.record("a missing user is not mended")
            return
        }
        #expect(missing.pendingCreate == .acsUser && missing.keys == ProvisionedKeys(userIdentityID: "identity-1"))
        // A site with work to do is never second-guessed by the sweep.
        var busy = plan
        busy.action = .confirm(PlannerTests.siteRecord())
        #expect(planner.repair(busy, seam: .absent) == nil)
        // A revoked guest whose user Seam still holds: removed again.
        let cancelled = PlannerTests.reservation(status: .cancelled)
        let revoked = PlannerTests.book([Stay(cancelled, at: listing)], records: [PlannerTests.record(of: cancelled, status: .revoked)],
                                        sites: [PlannerTests.siteRecord(ProvisionedKeys(userIdentityID: "identity-1"))])
        let revokedPlan = try! #require(revoked.plans[PlannerTests.site])
        #expect(revokedPlan.action == .none)
        #expect(planner.repair(revokedPlan, seam: .present(user, keys: [key], groups: groups))?.action == .repair(.notRevoked, .remove(.trusted(
            GuestSiteRecord(site: PlannerTests.site, keys: ProvisionedKeys(userIdentityID: "identity-1", acsUserID: "user-1", acsCredentialID: "key-1"))))))
    }

    /// kill -9 of a `provision --verify` between a mend's create and its record: the next run
    /// finishes every mend from the state's record of Seam's ids, and nothing is made twice.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashSafetyTests.binary), "needs the keybatch binary (swift build)"))
    func aMendKilledBetweenACreateAndItsRecordIsFinishedWithoutADuplicate() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let reservations = try sandbox.directory.write("reservations.csv", ReservationFixtures.file(Self.rows))
            let arguments = ["provision", reservations, "--listings", SandboxHarness.samplesListings, "--out", sandbox.directory.path("results.csv"),
                             "--state", sandbox.directory.path("state.sqlite"), "--confirm-timeout", "5",
                             "--request-timeout", "\(2 * TestTiming.scale)"]
            let environment = ["SEAM_ENDPOINT": sandbox.server.endpoint, "SEAM_API_KEY": sandbox.server.apiKey]
            let first = try await ChildProcess.run(CrashSafetyTests.binary, arguments, environment: environment)
            #expect(first.status == 0, "\(first.stderrText)")

            // Behind KeyBatch's back: three keys and one user deleted.
            let seam = try sandbox.seam()
            let console = sandbox.server.controls.console
            for number in 1...3 {
                let user = try #require(seam.users(ofGuest: "guest\(number)@example.com").first)
                try console.deleteCredential(try #require(seam.credentials(of: user.acsUserID).first).acsCredentialID)
            }
            try console.deleteACSUser(try #require(seam.users(ofGuest: "guest4@example.com").first).acsUserID)

            let killed = try await ChildProcess.run(CrashSafetyTests.binary, arguments + ["--verify"],
                                                    environment: environment.merging(["KEYBATCH_FAILPOINT": "kill-after-create:2"]) { $1 })
            #expect(killed.killedBySIGKILL, "\(killed.stderrText)")
            let finished = try await ChildProcess.run(CrashSafetyTests.binary, arguments + ["--verify"], environment: environment)
            #expect(finished.status == 0, "\(finished.stderrText)")

            let after = try sandbox.seam()
            let records = try StateStore.openForReading(path: sandbox.directory.path("state.sqlite")).siteRecords()
            for number in 1...7 {
                let users = after.users(ofGuest: "guest\(number)@example.com")
                #expect(users.count == 1, "guest \(number): \(users.count) ACS users")
                let keys = users.flatMap { after.credentials(of: $0.acsUserID) }
                #expect(keys.count == 1, "guest \(number): \(keys.count) keys")
                let record = records.values.first { $0.site.guestEmail == "guest\(number)@example.com" }
                #expect(record?.keys.acsUserID == users.first?.acsUserID && record?.keys.acsCredentialID == keys.first?.acsCredentialID)
            }
            #expect(Set(records.values.compactMap(\.keys.acsUserID)) == Set(after.acsUsers.keys))
        }
    }
}
