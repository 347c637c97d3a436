import Foundation
import GRDB
import SeamAPI
import SeamSandbox
import Testing
@testable import KeyBatch

/// Issue 23's scenario: returning guests (a second stay four hours after the first on another
/// listing of the same site, a third a month later), a family booking two units of one site at
/// once, single-stay guests; under every reading of Seam's one-user-per-identity-and-site rule.
@Suite(.serialized) struct ReturningGuestTests {
    static let siteA = "11111111-1111-1111-1111-111111111111"
    static let catalog = ProvisioningRunTests.catalog
    static let writeRoutes = VerifyTests.writeRoutes

    static func row(_ id: String, _ email: String, _ listing: String, _ checkIn: String, _ checkOut: String, name: String = "") -> String {
        "\(id),\(email),\(name),,\(listing),\(checkIn),\(checkOut),confirmed"
    }

    /// 16 returning guests (3 stays), a family (2 units at once), 30 single stays: 80 rows.
    static var rows: [String] {
        var rows: [String] = []
        for guest in 0..<16 {
            let day = 1 + guest
            let email = "returning\(guest)@example.com"
            rows.append(row("RG-\(guest)-1", email, "A-101", "2027-03-\(pad(day))T15:00:00Z", "2027-03-\(pad(day + 2))T11:00:00Z", name: "Returning \(guest)"))
            rows.append(row("RG-\(guest)-2", email, "A-102", "2027-03-\(pad(day + 2))T15:00:00Z", "2027-03-\(pad(day + 4))T11:00:00Z", name: "Returning \(guest)"))
            rows.append(row("RG-\(guest)-3", email, "A-101", "2027-04-\(pad(day + 2))T15:00:00Z", "2027-04-\(pad(day + 4))T11:00:00Z", name: "Returning \(guest)"))
        }
        rows.append(row("FAM-1", "family@example.com", "A-101", "2027-03-10T15:00:00Z", "2027-03-14T11:00:00Z", name: "The Family"))
        rows.append(row("FAM-2", "family@example.com", "A-102", "2027-03-10T15:00:00Z", "2027-03-14T11:00:00Z", name: "The Family"))
        for guest in 0..<30 {
            rows.append(row("S-\(guest)", "single\(guest)@example.com", ["A-101", "A-102", "B-201"][guest % 3],
                            "2027-03-\(pad(1 + guest % 27))T15:00:00Z", "2027-03-\(pad(2 + guest % 27))T11:00:00Z"))
        }
        return rows
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func writes(_ sandbox: SandboxHarness) -> Int {
        let requests = sandbox.server.controls.counters().requests
        return writeRoutes.reduce(0) { $0 + (requests[$1]?.values.reduce(0, +) ?? 0) }
    }

    /// Seam holds one user and one key per guest and site, with the current visit's schedule and groups.
    static func expectOneUserPerGuestAndSite(_ results: [[String: String]], _ seam: SandboxWorkspace, sourceLocation: SourceLocation = #_sourceLocation) {
        ProvisioningRunTests.expectProvisionedExactlyOnce(results, in: seam, catalog: catalog, sourceLocation: sourceLocation)
        let sites = Set(results.map { "\($0["guest_email"]!)/\(catalog[$0["listing_id"]!]!.acsSystemID)" })
        #expect(seam.acsUsers.count == sites.count && seam.credentials.count == sites.count, sourceLocation: sourceLocation)
        for guest in 0..<16 {
            let user = seam.users(ofGuest: "returning\(guest)@example.com", onSystem: siteA).first
            let day = 1 + guest
            #expect(user?.accessSchedule?.startsAt.hasPrefix("2027-03-\(pad(day))T15:00:00") == true, sourceLocation: sourceLocation)
            #expect(user?.accessSchedule?.endsAt?.hasPrefix("2027-03-\(pad(day + 4))T11:00:00") == true, sourceLocation: sourceLocation)
            #expect(Set(user?.accessGroupIDs ?? []) == Set(catalog["A-101"]!.accessGroupIDs + catalog["A-102"]!.accessGroupIDs), sourceLocation: sourceLocation)
            #expect(user?.fullName == "Returning \(guest)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: IdentityLinkRule.allCases)
    func returningGuestsAndFamiliesHoldOneUserAndOneKeyPerSite(rule: IdentityLinkRule) async throws {
        try await SandboxHarness.withSandbox { sandbox in
            sandbox.server.controls.setIdentityLinkRule(rule)
            sandbox.server.controls.setProviderBehavior(ProviderBehavior(syncDelay: 0.05))
            let file = ReservationFixtures.file(Self.rows)
            let now = Timestamp(year: 2027, month: 2, day: 1)
            let (report, results) = try await sandbox.provision(file, options: ProvisioningOptions(confirmTimeout: .seconds(20)), now: now)
            #expect(report.outcome == .completed && report.summary.count(.failed) == 0, "\(rule)")
            #expect(results.count == 80)
            #expect(report.summary.count(.deferred) == 16 && report.summary.count(.provisioned) == 64)
            let third = results.filter { $0["reservation_id"]!.hasSuffix("-3") && $0["reservation_id"]!.hasPrefix("RG") }
            #expect(third.allSatisfy { $0["status"] == "deferred" && ($0["error_message"] ?? "").hasPrefix("deferred: ") })
            let seam = try sandbox.seam()
            Self.expectOneUserPerGuestAndSite(results, seam)
            // The family's two units: one user, both units' groups.
            let family = seam.users(ofGuest: "family@example.com")
            #expect(family.count == 1 && Set(family.first?.accessGroupIDs ?? []) == Set(Self.catalog["A-101"]!.accessGroupIDs + Self.catalog["A-102"]!.accessGroupIDs))

            // An unchanged rerun makes no write (no call at all).
            let before = sandbox.requestCount()
            let (_, again) = try await sandbox.provision(file, now: now)
            #expect(sandbox.requestCount() == before)
            #expect(again.map { $0["status"]! } == results.map { $0["status"] == "deferred" ? "deferred" : "unchanged" })

            // The first run after a guest's first visit ends moves the user to the next one: the
            // same user and key, one schedule update plus the group changes, then provisioned.
            let writesBefore = Self.writes(sandbox)
            let afterFirstVisit = Timestamp(year: 2027, month: 3, day: 21)
            let (moved, next) = try await sandbox.provision(file, options: ProvisioningOptions(confirmTimeout: .seconds(20)), now: afterFirstVisit)
            #expect(moved.summary.count(.failed) == 0)
            let guest0 = next.filter { $0["guest_email"] == "returning0@example.com" }
            #expect(guest0.map { $0["status"]! } == ["expired", "expired", "provisioned"])
            #expect(guest0[2]["action"] == "move" && guest0[2]["acs_user_id"] == results.first { $0["reservation_id"] == "RG-0-3" }?["acs_user_id"])
            #expect(guest0[2]["acs_credential_id"] == results.first { $0["reservation_id"] == "RG-0-1" }?["acs_credential_id"])
            let user = try #require(try sandbox.seam().users(ofGuest: "returning0@example.com").first)
            #expect(user.accessSchedule?.startsAt.hasPrefix("2027-04-03T15:00:00") == true && Set(user.accessGroupIDs) == Set(Self.catalog["A-101"]!.accessGroupIDs))
            // 16 moves: an update and a group removal each (A-102's group that A-101 lacks).
            #expect(Self.writes(sandbox) - writesBefore == 16 * 2)
            #expect(try sandbox.seam().acsUsers.count == Set(results.map { "\($0["guest_email"]!)/\(Self.catalog[$0["listing_id"]!]!.acsSystemID)" }).count)
        }
    }

    /// A workspace of the old model (a user per stay, made by KeyBatch 0.18 or the guide's loop):
    /// the first run, with the old state file or without any, keeps one user per guest and site,
    /// moves it to the visit, and deletes the others once the site confirms it, without a failed row.
    @Test(arguments: [true, false])
    func aWorkspaceWithAUserPerStayConvergesToOnePerGuestAndSite(withOldState: Bool) async throws {
        try await SandboxHarness.withSandbox { sandbox in
            sandbox.server.controls.setIdentityLinkRule(.allow)
            sandbox.server.controls.setProviderBehavior(ProviderBehavior(syncDelay: 0.05))
            let file = ReservationFixtures.file(Array(Self.rows.prefix(6)))  // two returning guests, three stays each
            let old = try await Self.seedOldModel(sandbox, stays: 6, writingState: withOldState)
            let (report, _) = try await sandbox.provision(file, options: ProvisioningOptions(confirmTimeout: .seconds(20)),
                                                          now: Timestamp(year: 2027, month: 2, day: 1))
            #expect(report.summary.count(.failed) == 0 && report.outcome == .completed)
            let seam = try sandbox.seam()
            for guest in 0..<2 {
                let users = seam.users(ofGuest: "returning\(guest)@example.com")
                #expect(users.count == 1 && seam.credentials(of: users[0].acsUserID).count == 1)
                // The user of the first stay (the current visit) was kept: the guest's key in hand.
                #expect(users.first?.acsUserID == old[guest * 3])
            }
            #expect(seam.acsUsers.count == 2 && seam.credentials.count == 2)
            if withOldState {
                let sites = try StateStore.openForReading(path: sandbox.directory.path("state.sqlite")).siteRecords()
                #expect(sites.values.allSatisfy { $0.retired.isEmpty })
            }
            // And nothing left to do.
            let before = sandbox.requestCount()
            _ = try await sandbox.provision(file, now: Timestamp(year: 2027, month: 2, day: 1))
            #expect(sandbox.requestCount() == before || !withOldState)
        }
    }

    /// Makes the old model in the sandbox: one user and key per stay of the first `stays` rows
    /// (schedule = the stay), and optionally a version-2 state file as KeyBatch 0.18 wrote it.
    /// Returns the users, in row order.
    static func seedOldModel(_ sandbox: SandboxHarness, stays: Int, writingState: Bool) async throws -> [String] {
        var users: [String] = []
        var rows: [(id: String, email: String, identity: String, user: String, key: String, listing: Listing, checkIn: Timestamp, checkOut: Timestamp)] = []
        var identities: [String: String] = [:]
        for line in Self.rows.prefix(stays) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let email = fields[1]
            let listing = Self.catalog[fields[4]]!
            let identity: String
            if let known = identities[email] { identity = known } else { identity = try await sandbox.client.createUserIdentity(.init(emailAddress: email)).userIdentityID }
            identities[email] = identity
            let user = try await sandbox.client.createACSUser(.init(acsSystemID: listing.acsSystemID, fullName: fields[0], userIdentityID: identity,
                                                                    acsAccessGroupIDs: listing.accessGroupIDs,
                                                                    accessSchedule: ACSAccessSchedule(startsAt: fields[5], endsAt: fields[6])))
            let key = try await sandbox.client.createACSCredential(.init(accessMethod: "mobile_key", acsUserID: user.acsUserID, isMultiPhoneSyncCredential: true))
            users.append(user.acsUserID)
            guard case .instant(let checkIn)? = TimestampParser.parse(fields[5]), case .instant(let checkOut)? = TimestampParser.parse(fields[6]) else { continue }
            rows.append((fields[0], email, identity, user.acsUserID, key.acsCredentialID, listing, checkIn, checkOut))
        }
        guard writingState else { return users }
        let queue = try DatabaseQueue(path: sandbox.directory.path("state.sqlite"))
        try StateStore.migrator.migrate(queue, upTo: "v2")
        let seeded = rows
        try await queue.write { db in
            for (index, row) in seeded.enumerated() {
                try db.execute(sql: """
                    INSERT INTO reservations (reservation_id, fingerprint, guest_email, listing_id, acs_system_id, check_in_ms, check_out_ms, status,
                        user_identity_id, acs_user_id, acs_credential_id, access_group_ids, schedule_starts_ms, schedule_ends_ms, attempts,
                        created_at, updated_at)
                    VALUES (?, 'old', ?, ?, ?, ?, ?, 'provisioned', ?, ?, ?, ?, ?, ?, 1, ?, 'now')
                    """, arguments: [row.id, row.email, row.listing.listingID, row.listing.acsSystemID, row.checkIn.millisecondsSinceEpoch,
                                     row.checkOut.millisecondsSinceEpoch, row.identity, row.user, row.key, row.listing.accessGroupIDs.sorted().joined(separator: ";"),
                                     row.checkIn.millisecondsSinceEpoch, row.checkOut.millisecondsSinceEpoch, "2026-01-01T00:00:0\(index).000Z"])
            }
        }
        return users
    }

    /// kill -9 of a real `keybatch provision` while it moves a workspace of the old model: after
    /// every kill each guest still holds a user with a key whose schedule covers their current
    /// stay, and the runs that follow end with one user and one key per guest and site.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CrashSafetyTests.binary), "needs the keybatch binary (swift build)"))
    func aKillDuringTheMoveNeverLeavesAGuestWithoutAKeyNorMakesAnythingTwice() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            sandbox.server.controls.setIdentityLinkRule(.allow)
            sandbox.server.controls.setProviderBehavior(ProviderBehavior(syncDelay: 0.4, deletionDelay: 0.3))
            let stays = 30  // ten returning guests, three stays each
            let old = try await Self.seedOldModel(sandbox, stays: stays, writingState: true)
            let reservations = try sandbox.directory.write("reservations.csv", ReservationFixtures.file(Array(Self.rows.prefix(stays))))
            let arguments = ["provision", reservations, "--listings", SandboxHarness.samplesListings, "--out", sandbox.directory.path("results.csv"),
                             "--state", sandbox.directory.path("state.sqlite"), "--confirm-timeout", "10", "--request-timeout", "2"]
            let environment = ["SEAM_ENDPOINT": sandbox.server.endpoint, "SEAM_API_KEY": sandbox.server.apiKey]
            var generator = SystemRandomNumberGenerator()
            for attempt in 0..<8 {
                let process = try ChildProcess(CrashSafetyTests.binary, arguments, environment: environment)
                try await Task.sleep(for: .milliseconds(Int.random(in: 100...900, using: &generator)))
                if process.isRunning { process.kill() }
                _ = try await process.exit()
                let seam = try sandbox.seam()
                for guest in 0..<(stays / 3) {
                    let keyed = seam.users(ofGuest: "returning\(guest)@example.com").filter { !seam.credentials(of: $0.acsUserID).isEmpty }
                    #expect(!keyed.isEmpty, "attempt \(attempt): returning\(guest) has no user with a key")
                }
                _ = old
            }
            var status: Int32 = -1
            for _ in 0..<4 where status != 0 {
                status = try await ChildProcess.run(CrashSafetyTests.binary, arguments, environment: environment).status
            }
            #expect(status == 0)
            let seam = try sandbox.seam()
            #expect(seam.acsUsers.count == stays / 3 && seam.credentials.count == stays / 3)
            for guest in 0..<(stays / 3) { #expect(seam.users(ofGuest: "returning\(guest)@example.com").first?.acsUserID == old[guest * 3]) }
        }
    }
}
