import Foundation
import SeamSandbox
import Testing
@testable import KeyBatch

/// The `--no-state` lock is per workspace, however its endpoint is spelt.
@Suite struct NoStateLockTests {
    static let binary = CrashSafetyTests.binary
    static let samples = CrashSafetyTests.packageRoot.appendingPathComponent("samples").path

    @Test func spellingsOfOneEndpointShareALock() throws {
        let directory = try TemporaryDirectory()
        func lock(_ endpoint: String, key: String = "seam_key_1", workspace: String? = nil) throws -> String {
            try #require(NoStateLock.path(endpoint: endpoint, workspaceID: workspace, apiKey: key, directory: directory.url.path))
        }
        let loopback = try lock("http://127.0.0.1:8080")
        for spelling in ["http://localhost:8080/", "HTTP://LocalHost:8080//", "http://127.1:8080", "http://[::1]:8080/", "http://127.0.0.1:8080/",
                         "http://localhost.:8080", "http://[::ffff:127.0.0.1]:8080"] {
            #expect(try lock(spelling) == loopback, "\(spelling)")
        }
        let seam = try lock("https://connect.getseam.com")
        for spelling in ["https://Connect.GetSeam.com/", "https://connect.getseam.com:443", "https://connect.getseam.com.", "HTTPS://connect.getseam.com//"] {
            #expect(try lock(spelling) == seam, "\(spelling)")
        }
        // Another server, another key, another workspace: another lock.
        #expect(try lock("http://127.0.0.1:8081") != loopback)
        #expect(try lock("https://connect.getseam.com:8443") != seam)
        #expect(try lock("http://127.0.0.1:8080", key: "seam_key_2") != loopback)
        let workspaceOne = try lock("http://127.0.0.1:8080", key: "a", workspace: "ws_1")
        #expect(try lock("http://localhost:8080/", key: "b", workspace: "ws_1") == workspaceOne)
        #expect(try lock("http://localhost:8080", key: "a", workspace: "ws_2") != workspaceOne)
        // The key never appears in the lock's name.
        #expect(!loopback.contains("seam_key_1"))
    }

    /// Without a state file nothing records what a run creates, so a second `--no-state` run
    /// against the same workspace on this machine waits its turn (exit 2) instead of duplicating,
    /// however the endpoint is spelt. The duplicates: one run on `http://127.0.0.1:P`, one
    /// on `http://localhost:P/`.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func twoSpellingsOfOneEndpointNeverRunTogether() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            // The first run holds the lock while its listing check waits (the test kills it at the end);
            // a loaded machine may take seconds to start either process.
            sandbox.server.controls.setLatency(LatencyRule(fixedMilliseconds: 10_000, jitterMilliseconds: 0), route: "/acs/systems/get")
            let directory = try TemporaryDirectory()
            let arguments = ["provision", "\(Self.samples)/reservations.csv", "--listings", "\(Self.samples)/listings.csv", "--no-state"]
            let endpoint = try #require(URL(string: sandbox.server.endpoint))
            let port = try #require(endpoint.port)
            #expect(endpoint.host == "127.0.0.1")
            let first = try ChildProcess(Self.binary, arguments + ["--out", directory.path("first.csv")],
                                         environment: ["SEAM_ENDPOINT": "http://127.0.0.1:\(port)", "SEAM_API_KEY": sandbox.server.apiKey])
            defer { first.kill() }
            let lock = try #require(NoStateLock.path(endpoint: sandbox.server.endpoint, workspaceID: nil, apiKey: sandbox.server.apiKey)) + ".lock"
            for _ in 0..<1200 where !((try? String(contentsOfFile: lock, encoding: .utf8)) ?? "").contains("pid \(first.processIdentifier)") {
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(((try? String(contentsOfFile: lock, encoding: .utf8)) ?? "").contains("pid \(first.processIdentifier)"), "the first run took the lock")
            let second = try await ChildProcess.run(Self.binary, arguments + ["--out", directory.path("second.csv")],
                                                    environment: ["SEAM_ENDPOINT": "http://localhost:\(port)/", "SEAM_API_KEY": sandbox.server.apiKey])
            #expect(second.status == 2, "\(second.stderrText)")
            #expect(second.stderrText.contains("in use by another keybatch run"), "\(second.stderrText)")
            first.kill()
            _ = try await first.exit()
        }
    }
}
