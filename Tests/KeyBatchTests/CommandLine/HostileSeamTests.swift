import Foundation
import SeamAPI
import Testing
@testable import KeyBatch

/// The `keybatch` binary against a Seam that misbehaves (issue 26, items 1, 2 and 9): a body
/// trickled a byte a second, a port nobody listens on, cursors that never end. Each run must end
/// by itself; the time limits here only keep a regression from hanging the suite (the child is
/// killed, and the test fails saying so).
@Suite struct HostileSeamTests {
    static let binary = CrashSafetyTests.binary
    static let listings = CrashSafetyTests.packageRoot.appendingPathComponent("samples/listings.csv").path

    struct Ending {
        var exit: ChildProcess.Exit
        var seconds: Double
        /// The hang guard had to kill it: the run would not end by itself.
        var hung: Bool
    }

    /// Runs `keybatch`, killing it after `guardSeconds` (scaled for sanitizer builds).
    private func keybatch(_ arguments: [String], environment: [String: String], guardSeconds: Double) async throws -> Ending {
        let started = ContinuousClock.now
        let child = try ChildProcess(Self.binary, arguments, environment: environment, stdout: .capture, stderr: .capture)
        let watchdog = Task {
            try await Task.sleep(for: .seconds(guardSeconds * Double(TestTiming.scale)))
            child.kill()
        }
        let exit = try await child.exit()
        watchdog.cancel()
        let seconds = (ContinuousClock.now - started).inSeconds
        return Ending(exit: exit, seconds: seconds, hung: exit.killedBySIGKILL)
    }

    private func reservations(_ directory: TemporaryDirectory, rows: Int) throws -> String {
        try directory.write("r.csv", "reservation_id,guest_email,listing_id,check_in,check_out\n"
            + (1...rows).map { "R-\($0),guest\($0)@example.com,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z" }.joined(separator: "\n") + "\n")
    }

    /// Item 1: headers at once, then one byte a second of a 100,000-byte body. The request timeout
    /// covers reading the body, so two attempts of 3 s end the call, and the run ends.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aTrickledBodyEndsTheRunWithinItsTimeouts() async throws {
        let server = try HostileSeamServer { _ in .trickle(length: 100_000, interval: 1) }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let run = try await keybatch(
            ["provision", try reservations(directory, rows: 1), "--listings", Self.listings, "--out", directory.path("out.csv"),
             "--state", directory.path("state.sqlite"), "--request-timeout", "3", "--max-attempts", "2"],
            environment: ["SEAM_API_KEY": "seam_test_trickle", "SEAM_ENDPOINT": server.endpoint], guardSeconds: 90)
        #expect(!run.hung, "still running after \(run.seconds) s: \(run.exit.stderrText.suffix(1500))")
        #expect(run.exit.status == 1 || run.exit.status == 2, "\(run.exit.stderrText.suffix(1500))")
        #expect(run.exit.stderrText.contains("timeout"), "\(run.exit.stderrText.suffix(1500))")
        // Both attempts were made and each was cut at the timeout, not at the body's end (the
        // listings' two sites are checked at once: two attempts each).
        #expect(server.requestedPaths.filter { $0 == "acs/systems/get" }.count == 4, "\(server.requestedPaths)")
        let results = try directory.read("out.csv")
        #expect(results.contains("timeout"), "\(results)")
    }

    /// Item 2: a Seam that accepts the connection and never answers stops the run at its first
    /// call (the listing check), within the request timeout × attempts, with exit 2: not a row
    /// after another each waiting out every attempt (about 25 minutes for 10 rows before).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aSilentSeamStopsTheRunWithinItsTimeoutsAndExitsTwo() async throws {
        let server = try HostileSeamServer { _ in .silence }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let run = try await keybatch(
            ["provision", try reservations(directory, rows: 10), "--listings", Self.listings, "--out", directory.path("out.csv"),
             "--state", directory.path("state.sqlite"), "--request-timeout", "2", "--max-attempts", "2"],
            environment: ["SEAM_API_KEY": "seam_test_silent", "SEAM_ENDPOINT": server.endpoint], guardSeconds: 90)
        let stderr = run.exit.stderrText
        #expect(!run.hung, "still running after \(run.seconds) s: \(stderr.suffix(1500))")
        #expect(run.exit.status == 2, "\(stderr.suffix(1500))")
        #expect(stderr.contains("stopped: Seam could not be reached"), "\(stderr.suffix(1500))")
        // The listing check's two attempts, and nothing after it: every row accounted for, unsent
        // (the sites' groups and the workspace's identities are asked for beside it: no answer either).
        #expect(server.requestedPaths.filter { $0 == "acs/systems/get" }.count == 4, "\(server.requestedPaths)")  // two sites, two attempts each
        #expect(server.requestedPaths.allSatisfy { ["acs/systems/get", "acs/access_groups/list", "user_identities/list"].contains($0) }, "\(server.requestedPaths)")
        let results = try SandboxHarness.readResults(directory.path("out.csv"))
        #expect(results.count == 10 && results.allSatisfy { ["failed", "not_started"].contains($0["status"]) })
        print("silent endpoint: exit \(run.exit.status) after \(String(format: "%.2f", run.seconds)) s")
    }

    /// Item 2 (the throughput issue): an endpoint that refuses connections stops the run with
    /// exit 2 and a clear message, after a few quick attempts rather than a connect timeout per
    /// attempt (52 s before).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aRefusedConnectionExitsTwoAtOnceWithAClearMessage() async throws {
        let port = try HostileSeamServer.closedPort()
        let directory = try TemporaryDirectory()
        let endpoint = "http://127.0.0.1:\(port)"
        let run = try await keybatch(
            ["provision", try reservations(directory, rows: 5), "--listings", Self.listings, "--out", directory.path("out.csv"),
             "--state", directory.path("state.sqlite")],
            environment: ["SEAM_API_KEY": "seam_test_refused", "SEAM_ENDPOINT": endpoint], guardSeconds: 30)
        let stderr = run.exit.stderrText
        #expect(!run.hung, "still running after \(run.seconds) s: \(stderr.suffix(1500))")
        #expect(run.exit.status == 2, "\(stderr.suffix(1500))")
        let stopped = try #require(stderr.components(separatedBy: "\n").first { $0.contains("stopped: Seam could not be reached") }, "\(stderr)")
        #expect(stopped.contains(endpoint), "\(stopped)")
        #expect(stopped.contains("could not connect: connection refused"), "\(stopped)")
        #expect(stopped.filter { $0 == "(" }.count == stopped.filter { $0 == ")" }.count, "unbalanced: \(stopped)")
        print("refused endpoint: exit \(run.exit.status) after \(String(format: "%.2f", run.seconds)) s")
    }

    /// Item 9: every list answers an empty page that announces another, under a new cursor each
    /// time. `export` and `provision --no-state` stop with a message that says why.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func endlessCursorsStopTheListingWithAClearError() async throws {
        let cursors = CursorCounter()
        let server = try HostileSeamServer { path in
            if path == "acs/systems/get" {
                let id = "11111111-1111-1111-1111-111111111111"
                return .json(#"{"ok":true,"acs_system":{"acs_system_id":"\#(id)","name":"Site","external_type":"salto_ks_site"}}"#)
            }
            if path == "acs/access_groups/list" {
                // Not paginated: the listing check passes, and the rows go on to the lookups.
                let groups = ["55555555-5555-5555-5555-555555555555", "3b6c1f0e-2d4a-4c8e-9f71-5a2b8d0e6c13", "c8e2a7d4-61f3-4b09-8d5e-2f7a1c9b4e60",
                              "66666666-6666-6666-6666-666666666666"]
                    .map { #"{"acs_access_group_id":"\#($0)","acs_system_id":"11111111-1111-1111-1111-111111111111","name":"G","external_type":"salto_ks_access_group"}"# }
                return .json(#"{"ok":true,"acs_access_groups":[\#(groups.joined(separator: ","))]}"#)
            }
            let listKey: String = switch path {
            case "acs/credentials/list": "acs_credentials"
            case "user_identities/list": "user_identities"
            case "acs/systems/list": "acs_systems"
            default: "acs_users"
            }
            return .json(#"{"ok":true,"\#(listKey)":[],"pagination":{"has_next_page":true,"next_page_cursor":"cursor-\#(cursors.next())","next_page_url":null}}"#)
        }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let environment = ["SEAM_API_KEY": "seam_test_cursors", "SEAM_ENDPOINT": server.endpoint]
        let export = try await keybatch(["export", "--listings", Self.listings, "--acs-system-id", "11111111-1111-1111-1111-111111111111",
                                         "--out", directory.path("audit.csv")], environment: environment, guardSeconds: 60)
        #expect(!export.hung, "export still running after \(export.seconds) s, \(server.requestedPaths.count) requests")
        #expect(export.exit.status != 0)
        #expect(export.exit.stderrText.contains("empty pages in a row"), "\(export.exit.stderrText.suffix(1500))")

        let provision = try await keybatch(["provision", try reservations(directory, rows: 1), "--listings", Self.listings,
                                            "--out", directory.path("out.csv"), "--no-state"], environment: environment, guardSeconds: 60)
        #expect(!provision.hung, "provision still running after \(provision.seconds) s, \(server.requestedPaths.count) requests")
        #expect(provision.exit.status != 0)
        let said = provision.exit.stderrText + ((try? directory.read("out.csv")) ?? "")
        #expect(said.contains("empty pages in a row"), "\(said.suffix(1500))")
    }
}

/// Cursors the hostile server hands out, each new.
private final class CursorCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}
