import Foundation
import Logging
import SeamAPI
import SeamSandbox
import Testing
@testable import KeyBatch

/// `provision` against the in-process sandbox, without a state file unless a test says so:
/// what Seam holds afterwards is checked in the sandbox's own state dump.
@Suite(.serialized) struct ProvisioningRunTests {
    /// Exactly one identity per guest, and per provisioned reservation one ACS user with the
    /// stay as its schedule and the listing's groups, and one multi-phone mobile key.
    /// Seam holds one identity per guest and one ACS user with one multi-phone mobile key per
    /// guest and site, the ones the rows name, in at least every access group of each row's listing
    /// (a visit's user holds the union of its stays' groups).
    static func expectProvisionedExactlyOnce(_ results: [[String: String]], in seam: SandboxWorkspace, catalog: ListingCatalog,
                                             sourceLocation: SourceLocation = #_sourceLocation) {
        // `pending`: Seam accepted every call and the site had not confirmed yet; Seam holds it all.
        let held = results.filter { ["provisioned", "unchanged", "updated", "pending", "deferred"].contains($0["status"]) && !($0["acs_user_id"] ?? "").isEmpty }
        for email in Set(held.map { $0["guest_email"]!.lowercased() }) {
            #expect(seam.identities(email: email).count == 1, "identities of \(email)", sourceLocation: sourceLocation)
        }
        for row in held {
            let listing = catalog[row["listing_id"]!]!
            let users = seam.users(ofGuest: row["guest_email"]!, onSystem: listing.acsSystemID)
            #expect(users.count == 1, "ACS users of \(row["guest_email"]!) on \(listing.acsSystemID)", sourceLocation: sourceLocation)
            guard let user = users.first else { continue }
            #expect(user.acsUserID == row["acs_user_id"], sourceLocation: sourceLocation)
            #expect(user.userIdentityID == row["user_identity_id"], sourceLocation: sourceLocation)
            if row["status"] != "deferred" {
                #expect(Set(listing.accessGroupIDs).isSubset(of: Set(user.accessGroupIDs)), "groups of \(row["reservation_id"]!)", sourceLocation: sourceLocation)
            }
            let credentials = seam.credentials(of: user.acsUserID)
            #expect(credentials.count == 1, "credentials of \(row["reservation_id"]!)", sourceLocation: sourceLocation)
            #expect(credentials.first?.accessMethod == "mobile_key", sourceLocation: sourceLocation)
            #expect(credentials.first?.isMultiPhoneSyncCredential == true, sourceLocation: sourceLocation)
            #expect(credentials.first?.acsCredentialID == row["acs_credential_id"], sourceLocation: sourceLocation)
        }
    }

    static var catalog: ListingCatalog { try! ListingCatalog.load(path: SandboxHarness.samplesListings) }

    @Test func theSamplesAreProvisionedOnceEach() async throws {
        let samples = try String(contentsOfFile: SandboxHarness.samplesListings.replacingOccurrences(of: "listings.csv", with: "reservations.csv"), encoding: .utf8)
        try await SandboxHarness.withSandbox { sandbox in
            let (report, results) = try await sandbox.provision(samples, useState: false, now: Timestamp(year: 2026, month: 11, day: 29))
            #expect(report.outcome == .completed)
            #expect(results.count == 20)
            #expect(results.map { $0["line"]! } == (2...21).map(String.init))
            #expect(report.summary.count(.provisioned) == 8)
            #expect(report.summary.count(.deferred) == 1)  // Jane's stay a month after her first, on the same site
            #expect(report.summary.count(.unchanged) == 1)  // the cancelled R-1008 never had a key
            #expect(report.summary.count(.invalid) == 9)
            #expect(report.summary.count(.expired) == 1)
            let seam = try sandbox.seam()
            Self.expectProvisionedExactlyOnce(results, in: seam, catalog: Self.catalog)
            // Jane has two reservations on one site a month apart: one identity, one ACS user and
            // one key, holding her first visit; the second row is deferred, with the same ids.
            #expect(seam.identities(email: "jane@example.com").count == 1)
            let jane = results.filter { $0["guest_email"] == "jane@example.com" }
            #expect(jane.map { $0["status"]! } == ["provisioned", "deferred"])
            #expect(Set(jane.map { $0["acs_user_id"]! }).count == 1 && Set(jane.map { $0["acs_credential_id"]! }).count == 1)
            #expect(jane[1]["error_message"]?.hasPrefix("deferred: the guest's ACS user on this site holds the visit 2027-11-01T15:00:00Z") == true)
            let janesUser = try #require(seam.users(ofGuest: "jane@example.com").first)
            #expect(janesUser.fullName == "Jane Doe" && janesUser.accessSchedule?.endsAt?.hasPrefix("2027-11-04T11:00:00") == true)
            // The schedule is the stay, in UTC.
            let tomas = try #require(seam.users(ofGuest: "tomas.novak@example.com").first)
            #expect(tomas.accessSchedule?.startsAt.hasPrefix("2027-06-12T13:00:00") == true)
            #expect(tomas.accessSchedule?.endsAt?.hasPrefix("2027-06-15T08:00:00") == true)
            // Invalid and expired rows cost nothing.
            for row in results where row["status"] == "invalid" || row["status"] == "expired" {
                #expect(row["http_calls"] == "0")
            }
        }
    }

    @Test func anExistingIdentityIsReused() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let existing = try await sandbox.client.createUserIdentity(.init(emailAddress: "Guest0@Example.com", fullName: "Made elsewhere"))
            let (_, results) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 4, guests: 2)), useState: false)
            #expect(results.filter { $0["guest_email"] == "guest0@example.com" }.allSatisfy { $0["user_identity_id"] == existing.userIdentityID })
            #expect(try sandbox.seam().identities(email: "guest0@example.com").count == 1)
        }
    }

    @Test func aRateLimitStormIsRiddenOut() async throws {
        try await SandboxHarness.withSandbox(rate: 200, burst: 20) { sandbox in
            // Seam's limit well under what the client sends, also under a sanitizer (which slowed
            // the client to about 15 calls/s: at 40 the storm never came).
            sandbox.server.controls.setRateLimit(RateLimit(requestsPerSecond: 40 / Double(TestTiming.scale), burst: 5))
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 30, guests: 10)), useState: false)
            #expect(report.summary.count(.provisioned) == 30)
            #expect(sandbox.server.controls.counters().rateLimited > 0)
            Self.expectProvisionedExactlyOnce(results, in: try sandbox.seam(), catalog: Self.catalog)
        }
    }

    /// Fault rates are chosen so that a call failing all 8 attempts (0.2^8) is too rare to flake.
    @Test func serverErrorsAreRetried() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            sandbox.server.controls.setFaults(FaultRule(error500: 0.1, error503: 0.1))
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 30, guests: 12)), useState: false)
            #expect(report.summary.count(.provisioned) == 30, "\(results.filter { $0["status"] != "provisioned" })")
            #expect(sandbox.server.controls.counters().faultsInjected.values.reduce(0, +) > 0)
            Self.expectProvisionedExactlyOnce(results, in: try sandbox.seam(), catalog: Self.catalog)
        }
    }

    @Test(arguments: ["/user_identities/create", "/acs/users/create", "/acs/credentials/create"])
    func ambiguousFailuresOfCreatesLeaveNoDuplicates(route: String) async throws {
        // 30 creates on each route at 25% make a run without any fault vanishingly rare (0.75^30),
        // and 10 attempts make a call failing every one of them rarer still (0.25^10).
        try await SandboxHarness.withSandbox(requestTimeout: 0.5, maxAttempts: 10) { sandbox in
            sandbox.server.controls.setFaults(FaultRule(ambiguous500: 0.2, ambiguousTimeout: 0.05, holdSeconds: 2), route: route)
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 60, guests: 30)), useState: false)
            #expect(report.summary.count(.provisioned) + report.summary.count(.deferred) == 60)
            #expect(sandbox.server.controls.counters().faultsInjected.values.reduce(0, +) > 0)
            let seam = try sandbox.seam()
            Self.expectProvisionedExactlyOnce(results, in: seam, catalog: Self.catalog)
            // One user and one key per guest and site (returning guests share theirs).
            let sites = Set(results.map { "\($0["guest_email"]!)/\(Self.catalog[$0["listing_id"]!]!.acsSystemID)" })
            #expect(seam.acsUsers.count == sites.count)
            #expect(seam.credentials.count == sites.count)
            #expect(seam.userIdentities.count == 30)
        }
    }

    /// A create slower than the request timeout lands after the client gave up on it: the lookup
    /// must wait for it, or the retry makes a second key (the chaos soak found 37 keys for 20 users).
    @Test(arguments: ["/acs/users/create", "/acs/credentials/create"])
    func aCreateSlowerThanTheTimeoutIsNotMadeTwice(route: String) async throws {
        try await SandboxHarness.withSandbox(requestTimeout: 0.5, maxAttempts: 4) { sandbox in
            sandbox.server.controls.setLatency(LatencyRule(fixedMilliseconds: 800, jitterMilliseconds: 0), route: route)
            let (_, results) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 6, guests: 6)), useState: false)
            let seam = try sandbox.seam()
            #expect(seam.acsUsers.count == 6)
            #expect(seam.credentials.count == 6)
            Self.expectProvisionedExactlyOnce(results, in: seam, catalog: Self.catalog)
        }
    }

    @Test func unknownSystemsAndGroupsFailTheirRowsBeforeAnyCall() async throws {
        let listings = """
            listing_id,acs_system_id,acs_access_group_id
            A-101,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555
            X-1,99999999-9999-4999-8999-999999999999,55555555-5555-5555-5555-555555555555
            Y-1,11111111-1111-1111-1111-111111111111,88888888-8888-4888-8888-888888888888

            """
        let rows = [
            "R-1,a@example.com,,,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,",
            "R-2,b@example.com,,,X-1,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,",
            "R-3,c@example.com,,,Y-1,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,",
        ]
        try await SandboxHarness.withSandbox { sandbox in
            let (_, results) = try await sandbox.provision(ReservationFixtures.file(rows), listings: listings, useState: false)
            #expect(results.map { $0["status"]! } == ["provisioned", "failed", "failed"])
            #expect(results.map { $0["error_code"]! } == ["", "unknown_acs_system", "unknown_access_group"])
            #expect(results[1]["http_calls"] == "0")
            let seam = try sandbox.seam()
            #expect(seam.acsUsers.count == 1)
            #expect(seam.identities(email: "b@example.com").isEmpty)
        }
    }

    @Test func aRefusedKeyStopsTheRun() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let badClient = SeamClient(configuration: SeamConfiguration(apiKey: "seam_wrong_key", endpoint: sandbox.server.endpoint))
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 5, guests: 5)), useState: false,
                                                                operations: SeamOperationsClient(client: badClient))
            try? await badClient.shutdown()
            guard case .unauthorized(let message) = report.outcome else {
                Issue.record("expected unauthorized, got \(report.outcome)")
                return
            }
            #expect(!message.contains("seam_wrong_key"))
            #expect(results.count == 5)
            #expect(results.allSatisfy { $0["status"] == "not_started" || $0["status"] == "failed" })
            #expect(!(try String(contentsOfFile: sandbox.directory.path("results.csv"), encoding: .utf8)).contains("seam_wrong_key"))
        }
    }

    @Test func anInterruptFinishesRowsInFlightAndMarksTheRestNotStarted() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            sandbox.server.controls.setLatency(LatencyRule(fixedMilliseconds: 30, jitterMilliseconds: 10))
            let stop = StopSignal()
            // The stop comes once rows are under way (the listing check is 2 calls), not after a
            // fixed time, which a sanitizer's slow start could spend before the first row.
            let stopper = Task {
                while sandbox.requestCount() < 20 { try await Task.sleep(for: .milliseconds(5)) }
                stop.request()
            }
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 200, guests: 50)),
                                                                options: ProvisioningOptions(concurrency: 4), useState: false, stop: stop)
            _ = try await stopper.value
            #expect(report.outcome == .interrupted)
            #expect(results.count == 200)
            #expect(Set(results.map { $0["reservation_id"]! }).count == 200)
            // Rows Seam accepted are `provisioned`, or `pending` when the stop came before the site's
            // confirmation (the run does not wait for it once stopping).
            let provisioned = results.filter { $0["status"] == "provisioned" || $0["status"] == "pending" }
            let notStarted = results.filter { $0["status"] == "not_started" }
            #expect(provisioned.count > 0)
            #expect(notStarted.count > 0)
            #expect(provisioned.count + notStarted.count == 200)
            // Rows in flight finished: everything accepted is complete in Seam, nothing else exists.
            let seam = try sandbox.seam()
            Self.expectProvisionedExactlyOnce(provisioned, in: seam, catalog: Self.catalog)
            #expect(seam.acsUsers.count == provisioned.count)
        }
    }

    @Test func tooManyFailuresAbortTheRun() async throws {
        try await SandboxHarness.withSandbox(maxAttempts: 1) { sandbox in
            sandbox.server.controls.setFaults(FaultRule(error503: 1), route: "/acs/users/create")
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 60, guests: 20)),
                                                                options: ProvisioningOptions(concurrency: 2, failureBudget: .count(3)), useState: false)
            guard case .aborted = report.outcome else {
                Issue.record("expected aborted, got \(report.outcome)")
                return
            }
            #expect(results.count == 60)
            #expect(report.summary.count(.failed) >= 4)
            #expect(report.summary.count(.failed) <= 6)
            #expect(report.summary.count(.notStarted) >= 50)
            #expect(results.first { $0["status"] == "failed" }?["error_code"]?.isEmpty == false)
        }
    }
}
