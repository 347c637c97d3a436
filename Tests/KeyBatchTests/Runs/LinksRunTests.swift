import CSV
import Foundation
import SeamAPI
import SeamSandbox
import Testing
@testable import KeyBatch

/// `keybatch links` against the in-process sandbox: a results file provisioned without
/// `--instant-keys` gets a link on every row whose guest holds a key, one per guest; every other
/// line comes through as it was; a second pass asks for nothing unless `--all`.
@Suite struct LinksRunTests {
    static let route = "/user_identities/generate_instant_key"

    /// Two guests with two rows each (a family with two units on one site; a guest on two
    /// sites), a returning guest whose second stay is deferred, single guests, an invalid row,
    /// and a guest whose user the site refuses (failed, with its ids).
    static let reservations = ReservationFixtures.file([
        "R-1,family@example.com,Family,,A-101,2027-03-10T15:00:00Z,2027-03-14T11:00:00Z,confirmed",
        "R-2,family@example.com,Family,,A-102,2027-03-10T15:00:00Z,2027-03-14T11:00:00Z,confirmed",
        "R-3,twosites@example.com,Two Sites,,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,confirmed",
        "R-4,twosites@example.com,Two Sites,,B-201,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,confirmed",
        "R-5,back@example.com,Back,,B-305,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,confirmed",
        "R-6,back@example.com,Back,,B-305,2027-05-01T15:00:00Z,2027-05-04T11:00:00Z,confirmed",
        "R-7,single@example.com,Single,,A-102,2027-03-10T15:00:00Z,2027-03-14T11:00:00Z,confirmed",
        "R-8,not-an-email,Nobody,,A-101,2027-03-10T15:00:00Z,2027-03-14T11:00:00Z,confirmed",
        "R-9,refused@example.com,Refused,,B-201,2027-03-10T15:00:00Z,2027-03-14T11:00:00Z,confirmed",
    ])

    /// Provisions `reservations` without `--instant-keys`, the site refusing refused@'s user.
    static func provisioned(_ sandbox: SandboxHarness) async throws -> [[String: String]] {
        sandbox.server.controls.setProviderBehavior(ProviderBehavior(syncDelay: 0.2, refusals: [RefusalRule(operations: [.create], guestEmails: ["refused@example.com"])]))
        let (_, rows) = try await sandbox.provision(reservations, options: ProvisioningOptions(confirmTimeout: .seconds(20)))
        sandbox.server.controls.setProviderBehavior(nil)
        #expect(rows.map { $0["status"]! } == ["provisioned", "provisioned", "provisioned", "provisioned", "provisioned", "deferred",
                                                "provisioned", "invalid", "failed"])
        #expect(rows.allSatisfy { $0["instant_key_url"] == nil })
        return rows
    }

    static func links(_ sandbox: SandboxHarness, _ input: String, _ output: String, all: Bool = false,
                      operations: (any SeamOperations)? = nil) async throws -> (LinksRun.Report, [[String]]) {
        let run = LinksRun(inputPath: sandbox.directory.path(input), outputPath: sandbox.directory.path(output), all: all, concurrency: 8,
                           operations: operations ?? SeamOperationsClient(client: sandbox.client), logger: .silent)
        let report = try await run.run()
        return (report, try Self.lines(sandbox.directory.path(output)))
    }

    /// Every line of a CSV file as its fields, header included, whatever their count.
    static func lines(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(path: path, enforceFieldCount: false)
        var lines: [[String]] = []
        while let next = try reader.next() {
            switch next {
            case .success(let record): lines.append(record.fields)
            case .failure(let issue): lines.append(issue.recoveredFields)
            }
        }
        return lines
    }

    static func column(_ name: String, _ lines: [[String]]) throws -> Int {
        try #require(lines.first?.firstIndex(of: name))
    }

    static func generateCalls(_ sandbox: SandboxHarness) -> Int {
        sandbox.server.controls.counters().total(route: route)
    }

    @Test func everyRowHoldingAKeyGetsItsGuestsLinkAndTheRestPassThrough() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let provisioned = try await Self.provisioned(sandbox)
            // A line with the wrong field count, as a hand edit leaves one: reported and copied.
            let results = try sandbox.directory.read("results.csv") + "x,y,z\r\n"
            try sandbox.directory.write("results.csv", results)
            let input = try Self.lines(sandbox.directory.path("results.csv"))
            // An earlier file of the same name that others could read: links never inherit that.
            _ = FileManager.default.createFile(atPath: sandbox.directory.path("links.csv"), contents: Data("old\n".utf8),
                                               attributes: [.posixPermissions: 0o644])
            let before = Self.generateCalls(sandbox)
            let (report, output) = try await Self.links(sandbox, "results.csv", "links.csv")

            #expect(output[0] == input[0] + ["instant_key_url", "instant_key_expires_at"])
            #expect(output.count == input.count)
            let url = try Self.column("instant_key_url", output)
            let expires = try Self.column("instant_key_expires_at", output)
            let identity = try Self.column("user_identity_id", output)
            let holding: Set<String> = ["provisioned", "deferred"]
            var guests: [String: String] = [:]
            for (index, row) in provisioned.enumerated() {
                let line = output[index + 1]
                // Every column but the two new ones is what provision wrote.
                #expect(Array(line.prefix(input[index + 1].count)) == input[index + 1])
                if holding.contains(row["status"]!) {
                    #expect(line[url].hasPrefix("https://") && !line[expires].isEmpty)
                    if let earlier = guests[line[identity]] { #expect(earlier == line[url]) }
                    guests[line[identity]] = line[url]
                } else {
                    #expect(line[url] == "" && line[expires] == "")
                }
            }
            #expect(output.last == ["x", "y", "z"])
            // One link per guest: family, twosites, back, single.
            #expect(guests.count == 4 && Set(guests.values).count == 4)
            #expect(Self.generateCalls(sandbox) - before == 4)
            #expect(report.linksIssued == 4 && report.links.issued == 7 && report.links.refused == 0)
            #expect(report.rows == 10 && report.skipped == 2 && report.unreadable == 1 && report.outcome == .completed)
            #expect(try ReportingTests.mode(sandbox.directory.path("links.csv")) == 0o600)

            // The output again: every row has its link, nothing is asked, nothing changes.
            let (again, rerun) = try await Self.links(sandbox, "links.csv", "again.csv")
            #expect(Self.generateCalls(sandbox) - before == 4)
            #expect(rerun == output && again.links.issued == 0 && again.skipped == 9)

            // --all: the guests' links expired or were used: one new link each.
            let (all, renewed) = try await Self.links(sandbox, "links.csv", "renewed.csv", all: true)
            #expect(Self.generateCalls(sandbox) - before == 8)
            #expect(all.linksIssued == 4 && all.links.issued == 7)
            for (old, new) in zip(output.dropFirst(), renewed.dropFirst()) where old.count > url && !old[url].isEmpty {
                #expect(new[url].hasPrefix("https://") && new[url] != old[url])
            }
        }
    }

    /// A site that refuses instant keys: its guests' rows keep their status and say why, after
    /// any message they had; once the site takes them, a later pass gives them their links and
    /// the note goes.
    @Test func aRefusingSiteLeavesItsRowsWithoutALinkAndALaterPassMendsThem() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let provisioned = try await Self.provisioned(sandbox)
            try sandbox.server.controls.setInstantKeysRefused(true, acsSystemID: InstantKeyRunTests.buildingB)
            let (report, output) = try await Self.links(sandbox, "results.csv", "links.csv")
            let url = try Self.column("instant_key_url", output)
            let message = try Self.column("error_message", output)
            let status = try Self.column("status", output)
            // back@ (B-305, twice, the second deferred) and twosites@ (one of their sites is B).
            let refused = ["R-3", "R-4", "R-5", "R-6"]
            for (row, line) in zip(provisioned, output.dropFirst()) where refused.contains(row["reservation_id"]!) {
                #expect(line[url] == "" && line[status] == row["status"])
                let note = "no instant key: instant_keys_not_supported: Instant keys are not supported"
                if row["error_message"]!.isEmpty {
                    #expect(line[message].hasPrefix(note))
                } else {
                    #expect(line[message].hasPrefix(row["error_message"]! + "; " + note))
                }
            }
            #expect(report.links.refused == 4 && report.links.refusals["instant_keys_not_supported"]?.count == 4)
            #expect(report.links.issued == 3 && report.linksIssued == 2)

            try sandbox.server.controls.setInstantKeysRefused(false, acsSystemID: InstantKeyRunTests.buildingB)
            let (mended, final) = try await Self.links(sandbox, "links.csv", "mended.csv")
            #expect(mended.links.issued == 4 && mended.links.refused == 0 && mended.linksIssued == 2)
            for (row, line) in zip(provisioned, final.dropFirst()) where refused.contains(row["reservation_id"]!) {
                #expect(line[url].hasPrefix("https://") && line[message] == row["error_message"])
            }
        }
    }

    /// Passing 503s and lost answers on the link call are retried (asking twice is harmless):
    /// every guest gets a link, and Seam answered each guest's request once.
    @Test func aFlakyLinkCallIsRetriedAndEveryGuestGetsALink() async throws {
        try await SandboxHarness.withSandbox(requestTimeout: 2, maxAttempts: 10) { sandbox in
            let (_, provisioned) = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 20, guests: 20)))
            sandbox.server.controls.setFaults(FaultRule(error503: 0.3, ambiguous500: 0.1, holdSeconds: 0), route: Self.route)
            let (report, output) = try await Self.links(sandbox, "results.csv", "links.csv")
            #expect(sandbox.server.controls.counters().faultsInjected.values.reduce(0, +) > 0)
            let url = try Self.column("instant_key_url", output)
            #expect(provisioned.count == 20 && output.dropFirst().allSatisfy { $0[url].hasPrefix("https://") })
            #expect(report.links.issued == 20 && report.links.refused == 0 && report.outcome == .completed)
            #expect(sandbox.server.controls.counters().count(route: Self.route, status: 200) == 20)
        }
    }

    /// A key Seam refuses stops the asking at once; the file is still written, every row as it was.
    @Test func aRefusedAPIKeyStopsTheRunAndCopiesTheFile() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            _ = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 12, guests: 12)))
            let client = SeamClient(configuration: SeamConfiguration(apiKey: "seam_test_wrong", endpoint: sandbox.server.endpoint),
                                    rateLimiter: SeamRateLimiter(rate: 1000, burst: 1000))
            let before = Self.generateCalls(sandbox)
            let outcome: (LinksRun.Report, [[String]])
            do {
                outcome = try await Self.links(sandbox, "results.csv", "links.csv", operations: SeamOperationsClient(client: client))
                try? await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw error
            }
            let (report, output) = outcome
            guard case .unauthorized = report.outcome else { Issue.record("outcome \(report.outcome)"); return }
            // At most the requests already in flight when the first 401 came back.
            #expect(Self.generateCalls(sandbox) - before <= 8)
            let input = try Self.lines(sandbox.directory.path("results.csv"))
            #expect(output.dropFirst().map { Array($0.prefix(input[0].count)) } == Array(input.dropFirst()))
            #expect(report.notAsked == 12 && report.links.issued == 0 && report.links.refused == 0)
        }
    }
}

/// The parts of `links` that need no Seam: the header, the row rule, the note, the queue.
@Suite struct LinkPartsTests {
    static let header = ["line", "reservation_id", "status", "user_identity_id", "acs_credential_id", "error_message"]

    @Test func aHeaderWithoutARequiredColumnNamesFileLineAndColumn() throws {
        #expect {
            _ = try LinkColumns(header: ["line", "reservation_id", "status", "acs_credential_id", "error_message"], file: "r.csv", line: 1,
                                splitBy: nil)
        } throws: { error in
            let error = error as? InputFileError
            return error?.file == "r.csv" && error?.line == 1 && error?.reason.contains("missing required column user_identity_id") == true
        }
    }

    @Test func whichRowsAskForALink() throws {
        let columns = try LinkColumns(header: Self.header, file: "r.csv", line: 1, splitBy: nil)
        #expect(columns.header == Self.header + ["instant_key_url", "instant_key_expires_at"])
        let id = "8a1e2c7d-0b7c-4e0b-9f3e-5b1c7a2d9e41"
        #expect(columns.identityWanting(["2", "R-1", "provisioned", id, "c", ""], all: false) == id)
        #expect(columns.identityWanting(["2", "R-1", "deferred", id, "c", "held by R-0"], all: false) == id)
        #expect(columns.identityWanting(["2", "R-1", "failed", id, "c", ""], all: false) == nil)
        #expect(columns.identityWanting(["2", "R-1", "pending", id, "c", ""], all: false) == nil)
        #expect(columns.identityWanting(["2", "R-1", "provisioned", "", "c", ""], all: false) == nil)
        #expect(columns.identityWanting(["2", "R-1", "provisioned", id, "", ""], all: false) == nil)
        let linked = try LinkColumns(header: Self.header + ["instant_key_url", "instant_key_expires_at"], file: "r.csv", line: 1, splitBy: nil)
        #expect(linked.header.count == 8)
        #expect(linked.identityWanting(["2", "R-1", "unchanged", id, "c", "", "https://ik", "2027"], all: false) == nil)
        #expect(linked.identityWanting(["2", "R-1", "unchanged", id, "c", "", "https://ik", "2027"], all: true) == id)
    }

    @Test func aRefusalIsTheMessagesLastPartAndALinkTakesItAway() throws {
        let columns = try LinkColumns(header: Self.header, file: "r.csv", line: 1, splitBy: nil)
        let row = ["2", "R-1", "deferred", "i", "c", "held by R-0; until 2027"]
        let refused = columns.refused(row, note: "no instant key: x: y; z", guarding: true)
        #expect(refused[5] == "held by R-0; until 2027; no instant key: x: y; z" && refused[6] == "" && refused.count == 8)
        let again = columns.refused(refused, note: "no instant key: w: v", guarding: true)
        #expect(again[5] == "held by R-0; until 2027; no instant key: w: v")
        let linked = columns.linked(again, InstantKeyLink(url: "https://ik.example/1", expiresAt: "2027-01-01T00:00:00Z"), guarding: true)
        #expect(linked == ["2", "R-1", "deferred", "i", "c", "held by R-0; until 2027", "https://ik.example/1", "2027-01-01T00:00:00Z"])
        // provision --instant-keys writes the note alone.
        #expect(LinkColumns.withoutNote("no instant key: instant key: refused") == "")
        // The file's values are kept as written, a guarded one too; only a note of our own is guarded.
        let guarded = columns.refused(["2", "'=R-1", "provisioned", "i", "c", "'-x"], note: "no instant key: c: m", guarding: true)
        #expect(guarded[1] == "'=R-1" && guarded[5] == "'-x; no instant key: c: m")
    }

    @Test func theQueueAsksOncePerGuestAndReleasesRowsInOrder() {
        var queue = LinkQueue()
        for (line, identity) in [(2, "a"), (3, nil), (4, "b"), (5, "a"), (6, "c")] as [(Int, String?)] {
            queue.add(LinkQueue.Row(line: line, fields: [String(line)], identity: identity))
        }
        #expect(queue.nextToAsk(limit: 2) == "a" && queue.nextToAsk(limit: 2) == "b" && queue.nextToAsk(limit: 2) == nil)
        #expect(queue.release().isEmpty)
        queue.answered("b", .success(InstantKeyLink(url: "u-b")))
        #expect(queue.release().isEmpty)  // line 2 waits for a
        #expect(queue.nextToAsk(limit: 2) == "c")
        queue.answered("a", .success(InstantKeyLink(url: "u-a")))
        let released = queue.release()
        #expect(released.map(\.row.line) == [2, 3, 4, 5])
        #expect(released.map { (try? $0.answer?.get())?.url } == ["u-a", nil, "u-b", "u-a"])
        // A stop: c is in flight and still answers; a guest not asked yet leaves without a link.
        queue.add(LinkQueue.Row(line: 7, fields: ["7"], identity: "d"))
        queue.stop()
        #expect(queue.nextToAsk(limit: 2) == nil && queue.release().isEmpty)
        queue.answered("c", nil)
        #expect(queue.release().map { $0.row.line } == [6, 7] && queue.isEmpty && queue.linksIssued == 2)
    }
}
