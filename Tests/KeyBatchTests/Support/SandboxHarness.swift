import CSV
import Foundation
import Logging
import SeamAPI
import SeamSandbox
import Testing
@testable import KeyBatch

/// An in-process sandbox on 127.0.0.1 (port 0), a Seam client pointed at it, and a scratch
/// folder: what every provisioning test needs. `withSandbox` shuts it all down afterwards.
final class SandboxHarness: Sendable {
    let server: SeamSandboxServer
    let client: SeamClient
    let directory: TemporaryDirectory
    static let samplesListings = PackageRoot.samples + "/listings.csv"

    private init(server: SeamSandboxServer, client: SeamClient, directory: TemporaryDirectory) {
        self.server = server
        self.client = client
        self.directory = directory
    }

    static func withSandbox<T>(rate: Double = 1000, burst: Double = 1000, requestTimeout: Double = 5, maxAttempts: Int = 8,
                               _ body: (SandboxHarness) async throws -> T) async throws -> T {
        let server = try await SeamSandboxServer.start()
        let client = SeamClient(
            configuration: SeamConfiguration(apiKey: server.apiKey, endpoint: server.endpoint, requestTimeout: requestTimeout),
            rateLimiter: SeamRateLimiter(rate: rate, burst: burst),
            retryPolicy: ExponentialBackoffRetryPolicy(base: 0.01, cap: 0.2, maxAttempts: maxAttempts)
        )
        let harness = SandboxHarness(server: server, client: client, directory: try TemporaryDirectory())
        do {
            let result = try await body(harness)
            try? await client.shutdown()
            await server.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            await server.shutdown()
            throw error
        }
    }

    /// One `provision` run over `reservations` (CSV text) with the samples' listings.
    func provision(_ reservations: String, listings: String? = nil, options: ProvisioningOptions = ProvisioningOptions(),
                   useState: Bool = true, stop: StopSignal = StopSignal(), operations: (any SeamOperations)? = nil,
                   now: Timestamp = .now(), stateFile: String = "state.sqlite", logger: Logger = .silent) async throws -> (ProvisioningReport, [[String: String]]) {
        let input = InputOptions(reservationsPath: try directory.write("reservations.csv", reservations),
                                 listingsPath: try listings.map { try directory.write("listings.csv", $0) } ?? Self.samplesListings, now: now)
        let state = useState ? try await openState(stateFile) : nil
        let run = ProvisioningRun(input: input, resultsPath: directory.path("results.csv"), options: options,
                                  operations: operations ?? SeamOperationsClient(client: client), state: state, stop: stop,
                                  logger: logger)
        let report = try await run.run()
        return (report, try Self.readResults(directory.path("results.csv")))
    }

    /// Opens the harness's state file for a run. The run before it in this test may have returned
    /// while its last reference to its store is still being dropped on another thread (Swift frees
    /// an object wherever its last reference goes, here a finished child task's context), and the
    /// store's lock goes with it: a moment's wait, as two processes never need.
    func openState(_ name: String = "state.sqlite", runDescription: String = "test") async throws -> StateStore {
        for _ in 0..<40 {
            do {
                return try StateStore.open(path: directory.path(name), runDescription: runDescription)
            } catch let error as StateFileError where error.reason.contains("in use by another keybatch run") {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        return try StateStore.open(path: directory.path(name), runDescription: runDescription)
    }

    static func readResults(_ path: String) throws -> [[String: String]] {
        let reader = try CSVReader(path: path)
        var header: [String]?
        var rows: [[String: String]] = []
        while let next = try reader.next() {
            let fields = try next.get().fields
            guard let columns = header else {
                header = fields
                continue
            }
            rows.append(Dictionary(uniqueKeysWithValues: zip(columns, fields)))
        }
        return rows
    }

    /// The sandbox's default workspace, decoded from its state dump.
    func seam() throws -> SandboxWorkspace {
        let dump = try JSONDecoder.sandboxDump.decode(SandboxDump.self, from: server.controls.dumpState())
        return try #require(dump.workspaces[server.workspaceID])
    }

    /// Requests the sandbox has served so far, all routes.
    func requestCount() -> Int {
        server.controls.counters().requests.values.reduce(0) { $0 + $1.values.reduce(0, +) }
    }
}

struct SandboxDump: Decodable {
    var workspaces: [String: SandboxWorkspace]
}

struct SandboxWorkspace: Decodable {
    struct Identity: Decodable { var userIdentityID: String; var emailAddress: String? }
    struct Schedule: Decodable { var startsAt: String; var endsAt: String? }
    struct User: Decodable {
        var acsUserID: String
        var acsSystemID: String
        var fullName: String
        var userIdentityID: String?
        var accessSchedule: Schedule?
        var accessGroupIDs: [String]
    }
    struct Credential: Decodable {
        var acsCredentialID: String
        var acsUserID: String
        var accessMethod: String
        var isMultiPhoneSyncCredential: Bool
    }

    var userIdentities: [String: Identity]
    var acsUsers: [String: User]
    var credentials: [String: Credential]

    func users(named fullName: String) -> [User] { acsUsers.values.filter { $0.fullName == fullName } }
    /// The guest's ACS users (on one system, when given): Seam's model has one per guest and site.
    func users(ofGuest email: String, onSystem system: String? = nil) -> [User] {
        let ids = Set(identities(email: email).map(\.userIdentityID))
        return acsUsers.values.filter { user in user.userIdentityID.map(ids.contains) == true && (system == nil || user.acsSystemID == system) }
            .sorted { $0.acsUserID < $1.acsUserID }
    }
    func credentials(of acsUserID: String) -> [Credential] { credentials.values.filter { $0.acsUserID == acsUserID } }
    func identities(email: String) -> [Identity] { userIdentities.values.filter { $0.emailAddress?.lowercased() == email.lowercased() } }
}

extension JSONDecoder {
    static var sandboxDump: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = SeamKeyStyle.decoding
        return decoder
    }
}

/// Reservation files for tests: future stays on the samples' listings.
enum ReservationFixtures {
    static let header = "reservation_id,guest_email,guest_name,guest_phone,listing_id,check_in,check_out,status"
    static let listings = ["2222222-2222", "A-101", "A-102", "B-201", "B-305"]
    static let groupsByListing: [String: Int] = ["2222222-2222": 2, "A-101": 2, "A-102": 2, "B-201": 3, "B-305": 1]

    /// `count` confirmed reservations of `guests` distinct guests, spread over the listings.
    static func rows(count: Int, guests: Int, prefix: String = "R") -> [String] {
        (0..<count).map { index in
            let day = 1 + index % 27
            return "\(prefix)-\(index),guest\(index % guests)@example.com,Guest \(index % guests),,\(listings[index % listings.count]),"
                + "2027-03-\(pad(day))T15:00:00Z,2027-04-\(pad(day))T11:00:00Z,confirmed"
        }
    }

    static func file(_ rows: [String]) -> String { ([header] + rows).joined(separator: "\n") + "\n" }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
