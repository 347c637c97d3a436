import ArgumentParser
import Foundation
import KeyBatch
import SeamAPI
import SeamSandbox

/// Issue 24's call goals, counted at the sandbox (every request it served, retries and
/// confirmation rounds included) on a Seam without faults or limits, so the counts are the
/// design's, not luck's:
///
/// 1. new guests, one stay each, on listings of 1 to 3 access groups: calls per guest-site
///    (goal ≤ 3.3, confirmation included);
/// 2. a new state file over the same workspace: calls per reservation (goal ≤ 0.15) and creates (0);
/// 3. the same file again: calls (goal 0);
/// 4. returning guests: each with two stays on one site, the second after the first; once the
///    first is over, the run moves the guest's user to the next stay: calls per guest beyond the
///    one schedule update and its group changes (goal ≤ 1 + group changes).
struct CallsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calls")

    @Option var guests = 300

    func run() async throws {
        let server = try await SeamSandboxServer.start()
        let client = BenchmarkFixtures.unthrottledClient(server)
        let directory = try BenchmarkFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let listings = try BenchmarkFixtures.write(BenchmarkFixtures.oneToThreeGroupListings, to: directory.appendingPathComponent("listings.csv"))
        func provision(_ reservations: String, state: String, now: Timestamp = .now()) async throws -> (report: ProvisioningReport, counters: SandboxCounters) {
            server.controls.resetCounters()
            let input = InputOptions(reservationsPath: try BenchmarkFixtures.write(reservations, to: directory.appendingPathComponent("r.csv")),
                                     listingsPath: listings, now: now)
            let store = try StateStore.open(path: directory.appendingPathComponent(state).path, runDescription: "bench")
            let report = try await ProvisioningRun(input: input, resultsPath: directory.appendingPathComponent("results.csv").path,
                                                   options: ProvisioningOptions(), operations: SeamOperationsClient(client: client), state: store,
                                                   logger: BenchmarkFixtures.quietLogger).run()
            return (report, server.controls.counters())
        }
        func calls(_ counters: SandboxCounters) -> Int { counters.requests.values.reduce(0) { $0 + $1.values.reduce(0, +) } }
        func creates(_ counters: SandboxCounters) -> Int {
            ["/user_identities/create", "/acs/users/create", "/acs/credentials/create"].map { counters.total(route: $0) }.reduce(0, +)
        }
        let file = BenchmarkFixtures.reservations(count: guests, guests: guests)
        print("\(guests) new guests, one stay each, on listings of 1, 2 and 3 access groups (one Salto KS site); no faults, no limit")
        print(pad("case", 44) + pad("calls", 8) + pad("per", 22) + pad("creates", 9) + "goal")

        let (first, firstCounters) = try await provision(file, state: "a.sqlite")
        let sites = first.summary.count(.provisioned)
        print(pad("1. new guest-sites", 44) + pad("\(calls(firstCounters))", 8)
              + pad(String(format: "%.2f per guest-site", Double(calls(firstCounters)) / Double(max(sites, 1))), 22)
              + pad("\(creates(firstCounters))", 9) + "≤ 3.3 (confirmation included); \(sites) provisioned")

        let (_, adoptCounters) = try await provision(file, state: "b.sqlite")
        print(pad("2. a new state file over the same workspace", 44) + pad("\(calls(adoptCounters))", 8)
              + pad(String(format: "%.3f per reservation", Double(calls(adoptCounters)) / Double(guests)), 22)
              + pad("\(creates(adoptCounters))", 9) + "≤ 0.15, 0 creates")

        let (_, rerunCounters) = try await provision(file, state: "b.sqlite")
        print(pad("3. the same file again", 44) + pad("\(calls(rerunCounters))", 8) + pad("", 22)
              + pad("\(creates(rerunCounters))", 9) + "0 calls")

        // 4. Returning guests: stays 1 to 4 and 10 to 12 March 2030 on the same listing.
        let returning = guests / 3
        var lines = ["reservation_id,guest_email,guest_name,guest_phone,listing_id,check_in,check_out,status"]
        for index in 0..<returning {
            let listing = BenchmarkFixtures.listingIDs[index % BenchmarkFixtures.listingIDs.count]
            lines.append("S1-\(index),back\(index)@example.com,Back \(index),,\(listing),2030-03-01T15:00:00Z,2030-03-04T11:00:00Z,confirmed")
            lines.append("S2-\(index),back\(index)@example.com,Back \(index),,\(listing),2030-03-10T15:00:00Z,2030-03-12T11:00:00Z,confirmed")
        }
        let stays = lines.joined(separator: "\n") + "\n"
        _ = try await provision(stays, state: "c.sqlite", now: Timestamp(year: 2030, month: 2, day: 1))
        let (moved, movedCounters) = try await provision(stays, state: "c.sqlite", now: Timestamp(year: 2030, month: 3, day: 6))
        let updates = movedCounters.total(route: "/acs/users/update")
        let groupChanges = movedCounters.total(route: "/acs/users/add_to_access_group") + movedCounters.total(route: "/acs/users/remove_from_access_group")
        let beyond = calls(movedCounters) - updates - groupChanges
        print(pad("4. returning guests' next stay (same listing)", 44) + pad("\(calls(movedCounters))", 8)
              + pad(String(format: "%.2f per guest", Double(calls(movedCounters)) / Double(returning)), 22)
              + pad("\(creates(movedCounters))", 9)
              + String(format: "≤ 1 + group changes: %d updates, %d group changes, %.2f more per guest (confirmation); %d rows moved",
                       updates, groupChanges, Double(beyond) / Double(returning), moved.summary.count(.provisioned)))
        try await client.shutdown()
        await server.shutdown()
    }
}
