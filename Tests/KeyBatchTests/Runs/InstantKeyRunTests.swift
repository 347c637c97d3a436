import Foundation
import Logging
import SeamSandbox
import Testing
@testable import KeyBatch

/// `provision --instant-keys` against the sandbox: a link per row provisioned in the run, none for
/// a row already in place, and a site's refusal leaves the row's status alone.
@Suite struct InstantKeyRunTests {
    static let buildingB = "7d3f5a2e-9c41-4b8e-a6d2-0f5e8c1b3a97"

    static func isOnBuildingB(_ row: [String: String]) -> Bool {
        (row["listing_id"] ?? "").hasPrefix("B-")
    }

    static func instantKeyCount(_ sandbox: SandboxHarness) throws -> Int {
        let workspace = sandbox.server.controls.dumpStateJSON()["workspaces"]?[sandbox.server.workspaceID]
        return workspace?["instant_keys"]?.objectValue?.count ?? 0
    }

    @Test func everyRowProvisionedGetsItsOwnLinkAndARerunMakesNone() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            // An earlier file of the same name that others could read: links never inherit that.
            let resultsPath = sandbox.directory.path("results.csv")
            _ = FileManager.default.createFile(atPath: resultsPath, contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644])
            let file = ReservationFixtures.file(ReservationFixtures.rows(count: 6, guests: 6))
            let (report, rows) = try await sandbox.provision(file, options: ProvisioningOptions(instantKeys: true))

            #expect(rows.count == 6 && rows.allSatisfy { $0["status"] == "provisioned" })
            let links = rows.compactMap { $0["instant_key_url"] }.filter { !$0.isEmpty }
            #expect(links.count == 6 && Set(links).count == 6 && links.allSatisfy { $0.hasPrefix("https://") })
            // Seam's expires_at, as sent: the sandbox's month ahead.
            let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
            let expiries = rows.compactMap { row in row["instant_key_expires_at"].flatMap { try? format.parse($0) } }
            #expect(expiries.count == 6 && expiries.allSatisfy { $0.timeIntervalSinceNow > 27 * 86_400 })
            #expect(report.instantKeys?.issued == 6 && report.instantKeys?.refused == 0)
            #expect(try Self.instantKeyCount(sandbox) == 6)
            #expect(try ReportingTests.mode(resultsPath) == 0o600)

            // The same file again: every row unchanged, and no new link is made for any of them.
            let (again, rerun) = try await sandbox.provision(file, options: ProvisioningOptions(instantKeys: true))
            #expect(rerun.allSatisfy { $0["status"] == "unchanged" && $0["instant_key_url"] == "" })
            #expect(again.instantKeys?.issued == 0)
            #expect(try Self.instantKeyCount(sandbox) == 6)
        }
    }

    /// A guest with stays on two sites (two users, two keys) and a family with two units (one
    /// user): one link per guest per run, shared by the guest's rows (it opens every key of the
    /// identity).
    @Test func oneLinkPerGuestPerRunSharedByTheGuestsRows() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let rows = [
                "R-1,twosites@example.com,Two Sites,,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,confirmed",
                "R-2,twosites@example.com,Two Sites,,B-201,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,confirmed",
                "R-3,family@example.com,Family,,A-101,2027-03-10T15:00:00Z,2027-03-14T11:00:00Z,confirmed",
                "R-4,family@example.com,Family,,A-102,2027-03-10T15:00:00Z,2027-03-14T11:00:00Z,confirmed",
                "R-5,single@example.com,Single,,A-101,2027-03-10T15:00:00Z,2027-03-14T11:00:00Z,confirmed",
            ]
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(rows), options: ProvisioningOptions(instantKeys: true))
            #expect(results.allSatisfy { $0["status"] == "provisioned" && !($0["instant_key_url"] ?? "").isEmpty })
            let links = results.map { $0["instant_key_url"]! }
            #expect(links[0] == links[1] && links[2] == links[3] && Set(links).count == 3)
            #expect(try Self.instantKeyCount(sandbox) == 3 && report.instantKeys?.issued == 5)
            // The link's call counts in the guest's first row only.
            #expect(sandbox.server.controls.counters().total(route: "/user_identities/generate_instant_key") == 3)
        }
    }

    @Test func aSiteThatRefusesLeavesItsRowsProvisionedWithoutALinkAndSaysWhy() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            try sandbox.server.controls.setInstantKeysRefused(true, acsSystemID: Self.buildingB)
            let (report, rows) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 10, guests: 10)),
                                                             options: ProvisioningOptions(instantKeys: true))
            #expect(rows.allSatisfy { $0["status"] == "provisioned" })
            var onB: [[String: String]] = []
            for row in rows where Self.isOnBuildingB(row) { onB.append(row) }
            #expect(onB.count == 4 && onB.allSatisfy { $0["instant_key_url"] == "" && $0["error_code"] == "" })
            // The row says why it has no link (its key is in place).
            #expect(onB.allSatisfy { ($0["error_message"] ?? "").hasPrefix("no instant key: ") })
            #expect(rows.filter { row in !Self.isOnBuildingB(row) }.allSatisfy { ($0["instant_key_url"] ?? "").hasPrefix("https://") })
            let tally = try #require(report.instantKeys)
            #expect(tally.issued == 6 && tally.refused == 4)
            let refusal = try #require(tally.refusals["instant_keys_not_supported"])
            #expect(refusal.count == 4 && Set(refusal.reservationIDs) == Set(onB.map { $0["reservation_id"]! }))
            #expect(refusal.message.contains("not supported"))
            #expect(report.summary.count(.provisioned) == 10 && report.outcome == .completed)
        }
    }

    /// Issue 26, item 8: the results file cannot be finished (its folder is gone, as a full disk
    /// would stop it): the links it held count as not delivered, and the next run, finding the
    /// rows unchanged, asks for them again.
    @Test func aLinkThatNeverReachedAFinishedResultsFileIsAskedForAgain() async throws {
        let catalog = try ListingCatalog.load(path: SandboxHarness.samplesListings)
        let seam = RecordingSeamOperations(catalog: catalog)
        let directory = try TemporaryDirectory()
        let input = InputOptions(reservationsPath: try directory.write("r.csv", ReservationFixtures.file(ReservationFixtures.rows(count: 5, guests: 5))),
                                 listingsPath: SandboxHarness.samplesListings)
        let statePath = directory.path("state.sqlite")
        let doomed = directory.path("doomed")
        try FileManager.default.createDirectory(atPath: doomed, withIntermediateDirectories: true)
        seam.onInstantKey.withLock { $0 = { try? FileManager.default.removeItem(atPath: doomed) } }
        let options = ProvisioningOptions(confirmTimeout: .zero, instantKeys: true)
        do {
            let state = try StateStore.open(path: statePath, runDescription: "first")
            await #expect(throws: (any Error).self) {
                _ = try await ProvisioningRun(input: input, resultsPath: doomed + "/results.csv", options: options, operations: seam, state: state,
                                              logger: .silent).run()
            }
        }
        let first = seam.calls.filter { $0 == .generateInstantKey }.count
        #expect(first == 5)
        seam.onInstantKey.withLock { $0 = nil }
        let state = try StateStore.open(path: statePath, runDescription: "second")
        let report = try await ProvisioningRun(input: input, resultsPath: directory.path("results.csv"), options: options, operations: seam,
                                               state: state, logger: .silent).run()
        let rows = try SandboxHarness.readResults(directory.path("results.csv"))
        #expect(rows.allSatisfy { $0["status"] == "unchanged" && ($0["instant_key_url"] ?? "").hasPrefix("https://") })
        #expect(report.instantKeys?.issued == 5 && seam.calls.filter { $0 == .generateInstantKey }.count == first + 5)
        // Delivered now: a third run asks for none.
        let third = try await ProvisioningRun(input: input, resultsPath: directory.path("results.csv"), options: options, operations: seam,
                                              state: state, logger: .silent).run()
        #expect(third.instantKeys?.issued == 0 && seam.calls.filter { $0 == .generateInstantKey }.count == first + 5)
    }

    /// Passing 503s and lost answers on the link call are retried (asking twice is harmless):
    /// every guest gets a link.
    @Test func aFlakyLinkCallIsRetriedAndEveryGuestGetsALink() async throws {
        try await SandboxHarness.withSandbox(requestTimeout: 1, maxAttempts: 10) { sandbox in
            sandbox.server.controls.setFaults(FaultRule(error503: 0.3, ambiguous500: 0.1, holdSeconds: 0), route: "/user_identities/generate_instant_key")
            let (report, rows) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 20, guests: 20)),
                                                             options: ProvisioningOptions(instantKeys: true))
            #expect(sandbox.server.controls.counters().faultsInjected.values.reduce(0, +) > 0)
            #expect(rows.allSatisfy { $0["status"] == "provisioned" && ($0["instant_key_url"] ?? "").hasPrefix("https://") })
            #expect(report.instantKeys?.issued == 20 && report.instantKeys?.refused == 0)
        }
    }

    @Test func aStopEndsLinkRequestsAtTheDrainDeadlineAndEveryRowIsWrittenOnce() async throws {
        try await SandboxHarness.withSandbox(requestTimeout: 60) { sandbox in
            // Seam makes each link at once and holds its answer 10 s (scaled), a row far less: the
            // sandbox's instant keys count the link requests that reached Seam and are held there.
            let hold = 10.0 * Double(TestTiming.scale)
            sandbox.server.controls.setFaults(FaultRule(ambiguousTimeout: 1, holdSeconds: hold), route: "/user_identities/generate_instant_key")
            let stop = StopSignal()
            let file = ReservationFixtures.file(ReservationFixtures.rows(count: 6, guests: 6))
            async let run = sandbox.provision(file, options: ProvisioningOptions(concurrency: 2, drainDeadline: .milliseconds(300),
                                                                                 instantKeys: true), stop: stop)
            // The stop comes once every row's key is made and two link requests (the concurrency)
            // are in flight, held by Seam.
            try await TestTiming.until(.seconds(60), "six keys made and two link requests held") {
                Self.credentialCount(sandbox) == 6 && ((try? Self.instantKeyCount(sandbox)) ?? 0) == 2
            }
            let clock = ContinuousClock()
            let stopped = clock.now
            stop.request()
            let (report, rows) = try await run
            // Without the deadline reaching them, the two link requests would hold the run until
            // Seam answers, 10 s after they were sent; and no link is asked for after the stop.
            #expect(clock.now - stopped < TestTiming.scaled(.seconds(5)))
            #expect(try Self.instantKeyCount(sandbox) == 2)
            #expect(rows.count == 6 && Set(rows.map { $0["reservation_id"]! }).count == 6)
            #expect(rows.allSatisfy { $0["instant_key_url"] == "" })
            // The two rows whose link requests were held say they were cut; every other
            // provisioned row, that its link was not asked for (a row may still await the site at
            // the stop: pending, and no link is owed for it yet). Each provisioned row is counted
            // as left without a link.
            let provisioned = rows.filter { $0["status"] == "provisioned" }
            let cut = provisioned.filter { $0["error_message"] == "no instant key: instant key: stopped before Seam answered" }
            let notAsked = provisioned.filter { $0["error_message"] == "no instant key: not asked: the run stopped first" }
            #expect(cut.count == 2, "\(rows)")
            #expect(cut.count + notAsked.count == provisioned.count, "\(rows)")
            let tally = try #require(report.instantKeys)
            #expect(tally.issued == 0 && tally.refused == provisioned.count)
        }
    }

    static func credentialCount(_ sandbox: SandboxHarness) -> Int {
        sandbox.server.controls.dumpStateJSON()["workspaces"]?[sandbox.server.workspaceID]?["credentials"]?.objectValue?.count ?? 0
    }

    @Test func withoutTheFlagTheResultsKeepTheirColumnsAndNoLinkIsMade() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let (report, rows) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 2, guests: 2)))
            #expect(report.instantKeys == nil && rows.allSatisfy { $0["instant_key_url"] == nil })
            #expect(try Self.instantKeyCount(sandbox) == 0)
        }
    }
}

/// What a run logs about rows: the row's line and reservation id on every line written while the
/// row is worked on, and Seam's request id on a failure.
@Suite struct RowLoggingTests {
    @Test func aLineLoggedWhileARowIsWorkedOnCarriesTheRow() {
        let lines = CapturingLogHandler.Lines()
        let logger = CapturingLogHandler.logger(lines)
        let identity = ValidatedRow.Identity(line: 42, reservationID: "R-42", guestEmail: "g@example.com", listingID: "A-101")
        RowLogContext.$row.withValue(identity) { logger.debug("inside") }
        logger.debug("outside")
        let inside = lines.all[0].metadata
        #expect(inside["line"]?.description == "42" && inside["reservation_id"]?.description == "R-42")
        #expect(lines.all[1].metadata["line"] == nil && lines.all[1].metadata["reservation_id"] == nil)
    }

    @Test func aFailedRowIsLoggedWithItsLineReservationAndSeamRequestID() async throws {
        // A generous timeout: under a sanitizer a slow answer must not turn the 500 into a timeout,
        // which has no request id.
        try await SandboxHarness.withSandbox(requestTimeout: 60, maxAttempts: 1) { sandbox in
            sandbox.server.controls.setFaults(FaultRule(error500: 1), route: "/acs/users/create")
            let lines = CapturingLogHandler.Lines()
            let file = ReservationFixtures.file(ReservationFixtures.rows(count: 2, guests: 2) + ["bad,row"])
            let (_, rows) = try await sandbox.provision(file, logger: CapturingLogHandler.logger(lines, level: .info))
            #expect(rows.filter { $0["status"] == "failed" }.count == 2)

            let warnings = lines.all.filter { $0.level == .warning }
            #expect(warnings.count == 3)
            for (warning, row) in zip(warnings, rows) {
                #expect(warning.metadata["line"]?.description == row["line"])
                #expect(warning.metadata["reservation_id"]?.description == row["reservation_id"])
                #expect(warning.message.contains(row["status"]!))
            }
            let failed = warnings.filter { $0.message.contains("failed") }
            #expect(failed.count == 2)
            #expect(failed.allSatisfy { ($0.metadata["seam-request-id"]?.description.count ?? 0) > 10 })
            #expect(warnings.last?.metadata["seam-request-id"] == nil)  // invalid: Seam was never asked
        }
    }
}
