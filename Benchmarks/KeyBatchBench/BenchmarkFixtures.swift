import Foundation
import KeyBatch
import Logging
import SeamAPI
import SeamSandbox

/// Files and helpers shared by the benchmarks.
enum BenchmarkFixtures {
    /// Listings of the sandbox's default seed with exactly two access groups each.
    static let twoGroupListings = """
        listing_id,acs_system_id,acs_access_group_id
        2222222-2222,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555
        2222222-2222,11111111-1111-1111-1111-111111111111,66666666-6666-6666-6666-666666666666
        A-101,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555
        A-101,11111111-1111-1111-1111-111111111111,3b6c1f0e-2d4a-4c8e-9f71-5a2b8d0e6c13
        A-102,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555
        A-102,11111111-1111-1111-1111-111111111111,c8e2a7d4-61f3-4b09-8d5e-2f7a1c9b4e60

        """
    static let listingIDs = ["2222222-2222", "A-101", "A-102"]

    /// The same listing ids with one, two and three access groups (issue 24's "listings of 1 to
    /// 3 access groups"), all on the seed's first Salto KS site.
    static let oneToThreeGroupListings = """
        listing_id,acs_system_id,acs_access_group_id
        2222222-2222,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555
        A-101,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555
        A-101,11111111-1111-1111-1111-111111111111,3b6c1f0e-2d4a-4c8e-9f71-5a2b8d0e6c13
        A-102,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555
        A-102,11111111-1111-1111-1111-111111111111,c8e2a7d4-61f3-4b09-8d5e-2f7a1c9b4e60
        A-102,11111111-1111-1111-1111-111111111111,66666666-6666-6666-6666-666666666666

        """

    /// `count` future reservations of `guests` guests; `shiftEvery` moves the check-out of every
    /// n-th row by a day (a "changed" export).
    static func reservations(count: Int, guests: Int, shiftEvery: Int? = nil) -> String {
        var lines = ["reservation_id,guest_email,guest_name,guest_phone,listing_id,check_in,check_out,status"]
        lines.reserveCapacity(count + 1)
        for index in 0..<count {
            let day = 1 + index % 27
            var checkOutDay = day + 1
            if let shiftEvery, index % shiftEvery == 0 { checkOutDay += 1 }
            lines.append("B-\(index),guest\(index % guests)@example.com,Guest \(index % guests),,\(listingIDs[index % listingIDs.count]),"
                         + "2027-03-\(pad(day))T15:00:00Z,2027-03-\(pad(checkOutDay))T11:00:00Z,confirmed")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("keybatch-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws -> String {
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// `count` reservations of `count / 2` guests on the two-group listings, written into `directory`.
    static func input(reservations count: Int, in directory: URL) throws -> InputOptions {
        InputOptions(
            reservationsPath: try write(reservations(count: count, guests: count / 2), to: directory.appendingPathComponent("reservations.csv")),
            listingsPath: try write(twoGroupListings, to: directory.appendingPathComponent("listings.csv"))
        )
    }

    /// A provisioning run over `input(reservations:in:)` with a fresh state file in `directory`.
    static func provisioningRun(reservations: Int, options: ProvisioningOptions, client: SeamClient, in directory: URL) throws -> ProvisioningRun {
        let state = try StateStore.open(path: directory.appendingPathComponent("state.sqlite").path, runDescription: "bench")
        return ProvisioningRun(input: try input(reservations: reservations, in: directory),
                               resultsPath: directory.appendingPathComponent("results.csv").path, options: options,
                               operations: SeamOperationsClient(client: client), state: state, logger: quietLogger)
    }

    /// A client whose own limiter never paces (the sandbox's latency and limits are the
    /// benchmark's), with a connection for each of 32 rows in flight and the confirmation round's.
    static func unthrottledClient(_ server: SeamSandboxServer) -> SeamClient {
        SeamClient(configuration: SeamConfiguration(apiKey: server.apiKey, endpoint: server.endpoint),
                   rateLimiter: SeamRateLimiter(rate: 10_000, burst: 10_000), maximumConnections: 34)
    }

    static var quietLogger: Logger { Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }) }

}
