import Foundation
import SeamAPI
import SeamSandbox
import Testing
@testable import KeyBatch

/// `keybatch export`: Seam's side as a CSV, and its drift against the state file, made behind
/// KeyBatch's back the way staff would in Seam's console.
@Suite struct ExportTests {
    static let rows = (1...6).map { "R-\($0),guest\($0)@example.com,Guest \($0),,A-101,2027-03-0\($0)T15:00:00Z,2027-03-1\($0)T11:00:00Z,confirmed" }
    static var catalog: ListingCatalog { try! ListingCatalog.load(path: SandboxHarness.samplesListings) }

    /// Runs an export of the samples' systems into the harness folder and reads it back.
    static func export(_ sandbox: SandboxHarness, fromState: Bool = false) async throws -> (ExportRun.Report, [[String: String]]) {
        let state = try await sandbox.openState(runDescription: "export test")
        let run = ExportRun(catalog: catalog, state: state, resultsPath: sandbox.directory.path("export.csv"))
        let report = fromState ? try run.runFromState() : try await run.run(operations: SeamOperationsClient(client: sandbox.client))
        return (report, try SandboxHarness.readResults(sandbox.directory.path("export.csv")))
    }

    @Test func anExportAfterARunShowsEveryColumnAcrossPages() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let (first, _) = try await sandbox.provision(ReservationFixtures.file(Self.rows))
            #expect(first.summary.count(.provisioned) == 6)
            sandbox.server.controls.setMaxPageSize(2)  // users and credentials come in 3 pages each
            let before = sandbox.requestCount()
            let (report, rows) = try await Self.export(sandbox)
            #expect(report.rows == 6 && !report.hasAlarm && report.byDrift == [.ok: 6])
            #expect(rows.map { $0["reservation_ids"]! } == (1...6).map { "R-\($0)" })
            let listing = Self.catalog["A-101"]!
            let seam = try sandbox.seam()
            for (index, row) in rows.enumerated() {
                let user = try #require(seam.users(ofGuest: "guest\(index + 1)@example.com").first)
                #expect(row["acs_user_id"] == user.acsUserID && row["user_identity_id"] == user.userIdentityID)
                #expect(row["acs_system_id"] == listing.acsSystemID && row["listing_ids"] == "A-101" && row["full_name"] == "Guest \(index + 1)")
                #expect(row["guest_email"] == "guest\(index + 1)@example.com")
                #expect(row["starts_at"] == "2027-03-0\(index + 1)T15:00:00Z" && row["ends_at"] == "2027-03-1\(index + 1)T11:00:00Z")
                #expect(row["acs_access_group_ids"] == listing.accessGroupIDs.sorted().joined(separator: ";"))
                #expect(row["acs_credential_ids"] == seam.credentials(of: user.acsUserID).first?.acsCredentialID)
                #expect(row["credential_synced"] == "true" && row["errors"] == "" && row["drift"] == "ok")
            }
            // Pages, not rows. System 1111…: 3 pages of users, 3 of credentials, the group list and
            // 4 groups' members (11); system 7d3f… (no users): 1 + 1 + 1 + 3 groups (6).
            #expect(sandbox.requestCount() - before == 17)
        }
    }

    @Test func everyDriftMadeInSeamsConsoleIsReported() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            _ = try await sandbox.provision(ReservationFixtures.file(Self.rows))
            let seam = try sandbox.seam()
            func user(_ number: Int) throws -> SandboxWorkspace.User { try #require(seam.users(ofGuest: "guest\(number)@example.com").first) }
            let console = sandbox.server.controls.console
            try console.deleteACSUser(try user(1).acsUserID)
            try console.deleteCredential(try #require(seam.credentials(of: try user(2).acsUserID).first).acsCredentialID)
            try console.setAccessSchedule(startsAt: Date(timeIntervalSince1970: 1_900_000_000), endsAt: Date(timeIntervalSince1970: 1_900_500_000),
                                          acsUserID: try user(3).acsUserID)
            try console.removeFromAccessGroup(acsUserID: try user(4).acsUserID, acsAccessGroupID: Self.catalog["A-101"]!.accessGroupIDs[0])
            try console.addError(.failedToUpdateOnACSSystem, message: "site said no", acsUserID: try user(5).acsUserID)
            // A stray, made by hand on the same system.
            let stray = try await sandbox.client.createACSUser(.init(acsSystemID: Self.catalog["A-101"]!.acsSystemID, fullName: "made-by-hand"))

            let (report, rows) = try await Self.export(sandbox)
            let drift = Dictionary(uniqueKeysWithValues: rows.map { (Self.key($0), $0["drift"]!) })
            #expect(drift == ["R-1": "missing_in_seam", "R-2": "credential_missing", "R-3": "schedule_differs", "R-4": "groups_differ",
                              "R-5": "seam_error", "R-6": "ok", "made-by-hand": "unknown_to_state"])
            #expect(report.hasAlarm)
            #expect(rows.first { Self.key($0) == "made-by-hand" }?["acs_user_id"] == stray.acsUserID)
            #expect(rows.first { Self.key($0) == "R-5" }?["errors"] == "failed_to_update_on_acs_system")
            // A stray alone is no alarm: it is reported, never touched.
            #expect(!DriftKind.unknownToState.isAlarm && DriftKind.missingInSeam.isAlarm)
        }
    }

    @Test func fromStateMakesNoCallAndHasTheSameShape() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            _ = try await sandbox.provision(ReservationFixtures.file(Self.rows))
            let before = sandbox.requestCount()
            let (report, rows) = try await Self.export(sandbox, fromState: true)
            #expect(sandbox.requestCount() == before)
            #expect(report.rows == 6)
            let header = try String(contentsOfFile: sandbox.directory.path("export.csv"), encoding: .utf8).components(separatedBy: "\r\n").first
            #expect(header == ExportRow.header.joined(separator: ","))
            #expect(rows.allSatisfy { !$0["acs_user_id"]!.isEmpty && !$0["acs_credential_ids"]!.isEmpty && $0["drift"] == "" })
        }
    }

    /// An export row's name in these tests: the stays it holds, else the user's name (a stranger).
    static func key(_ row: [String: String]) -> String {
        row["reservation_ids"]!.isEmpty ? row["full_name"]! : row["reservation_ids"]!
    }

    /// Pure rules the sandbox cannot easily stage.
    @Test func aRevokedGuestWhoseUserSeamStillHoldsIsNotRevoked() {
        let site = GuestSite(guestEmail: "a@example.com", acsSystemID: "s")
        let gone = GuestSiteRecord(site: site, keys: ProvisionedKeys(userIdentityID: "i"))
        let user = ACSUserState(acsUserID: "u", userIdentityID: "i")
        #expect(DriftJudge.judge(user, keys: [], groups: [], record: gone) == .notRevoked)
        var leaving = user
        leaving.warnings = ["being_deleted"]
        #expect(DriftJudge.judge(leaving, keys: [], groups: [], record: gone) == .beingDeleted)
        #expect(DriftJudge.judge(user, keys: [], groups: [], record: nil) == .unknownToState)
        // A deletion Seam accepted: going, refused, or lost while the user stays.
        let awaiting = GuestSiteRecord(site: site, keys: ProvisionedKeys(userIdentityID: "i", acsUserID: "u"), awaiting: .revoke)
        #expect(DriftJudge.judge(leaving, keys: [], groups: [], record: awaiting) == .beingDeleted)
        #expect(DriftJudge.judge(user, keys: [], groups: [], record: awaiting) == .notRevoked)
        var refused = user
        refused.errors = [SeamIssue(seam: SeamCode("failed_to_delete_on_acs_system"), message: "")]
        #expect(DriftJudge.judge(refused, keys: [], groups: [], record: awaiting) == .seamError)
        // A user of the old model still to retire is one that should be gone.
        let retiring = GuestSiteRecord(site: site, keys: ProvisionedKeys(userIdentityID: "i", acsUserID: "kept"), retired: [RetiredUser(acsUserID: "u")])
        #expect(DriftJudge.judge(user, keys: [], groups: [], record: retiring) == .notRevoked)
        #expect(!DriftKind.beingDeleted.isAlarm && !DriftKind.credentialNotSynced.isAlarm && DriftKind.notRevoked.isAlarm)
    }

    /// A revocation Seam confirmed forgets the ACS user's id; a user of that guest's identity
    /// still on the system is the guest keeping access, not a stranger.
    @Test func aRevokedGuestsUserFoundByIdentityIsNotRevoked() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            var rows = Self.rows
            _ = try await sandbox.provision(ReservationFixtures.file(rows))
            rows[0] = rows[0].replacingOccurrences(of: ",confirmed", with: ",cancelled")
            let (second, _) = try await sandbox.provision(ReservationFixtures.file(rows))
            #expect(second.summary.count(.revoked) == 1)
            // Staff (or another tool) give guest 1 an ACS user again, behind KeyBatch's back.
            let listing = Self.catalog["A-101"]!
            let identity = try #require(try sandbox.seam().identities(email: "guest1@example.com").first).userIdentityID
            let again = try await sandbox.client.createACSUser(.init(acsSystemID: listing.acsSystemID, fullName: "Guest 1", userIdentityID: identity))
            let (report, exported) = try await Self.export(sandbox)
            #expect(exported.first { $0["acs_user_id"] == again.acsUserID }?["drift"] == "not_revoked")
            #expect(report.hasAlarm)
        }
    }
}
