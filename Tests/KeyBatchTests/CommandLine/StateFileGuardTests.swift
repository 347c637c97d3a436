import Foundation
import GRDB
import Testing
@testable import KeyBatch

/// State files the real binary must refuse before trusting them (exit 2, Seam untouched): a
/// damaged one, one with two names (a hard link), one a newer keybatch wrote.
@Suite struct StateFileGuardTests {
    static let binary = CrashSafetyTests.binary

    /// Six stays with ids found nowhere else in the file, so a test can find one's bytes.
    static let reservations = ReservationFixtures.file((51...56).map { number in
        StateRunTests.row("Q-\(number)", "q\(number)@example.com", ReservationFixtures.listings[number % 5])
    })

    /// `keybatch provision` of `reservations` against the harness's sandbox with `--state state`.
    static func provision(_ sandbox: SandboxHarness, state: String, command: String = "provision") async throws -> ChildProcess.Exit {
        let input = try sandbox.directory.write("q.csv", reservations)
        return try await ChildProcess.run(binary, [command, input, "--listings", SandboxHarness.samplesListings,
                                                   "--out", sandbox.directory.path("\(command)-\(UUID().uuidString).csv"),
                                                   "--state", state, "--confirm-timeout", "5"],
                                          environment: ["SEAM_ENDPOINT": sandbox.server.endpoint, "SEAM_API_KEY": sandbox.server.apiKey])
    }

    /// What Seam holds, as ids: a refused run must leave it exactly as it was.
    static func holdings(_ sandbox: SandboxHarness) throws -> [String] {
        let seam = try sandbox.seam()
        return (Array(seam.acsUsers.keys) + Array(seam.credentials.keys) + Array(seam.userIdentities.keys)).sorted()
    }

    /// Folds the state file's `-wal` into it, so its bytes on disk are all there is.
    static func checkpoint(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aDamagedStateFileIsRefusedAndNothingIsDeleted() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let state = sandbox.directory.path("st.sqlite")
            let first = try await Self.provision(sandbox, state: state)
            #expect(first.status == 0, "\(first.stderrText)")
            let before = try Self.holdings(sandbox)
            #expect(try sandbox.seam().users(ofGuest: "q54@example.com").count == 1)
            // Four bytes of a reservation id overwritten, as a bad sector or a stray write would.
            try Self.checkpoint(state)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: state))
            let at = try #require(bytes.range(of: Data("Q-54".utf8)))
            bytes.replaceSubrange(at, with: Data([0xFF, 0xFF, 0xFF, 0xFF]))
            try bytes.write(to: URL(fileURLWithPath: state))
            let damage = try await DatabaseQueue(path: state).read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            #expect(damage != ["ok"], "the test's damage must be one SQLite sees")

            let second = try await Self.provision(sandbox, state: state)
            #expect(second.status == 2, "\(second.stderrText)")
            #expect(second.stderrText.contains("st.sqlite: state file is damaged"), "\(second.stderrText)")
            #expect(second.stderrText.contains("run again with a new state file"))
            #expect(try Self.holdings(sandbox) == before)
            #expect(try sandbox.seam().users(ofGuest: "q54@example.com").count == 1)
            // `plan` reads the same file: refused too.
            let plan = try await Self.provision(sandbox, state: state, command: "plan")
            #expect(plan.status == 2 && plan.stderrText.contains("state file is damaged"), "\(plan.stderrText)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aStateFileWithTwoNamesIsRefused() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            try FileManager.default.createDirectory(atPath: sandbox.directory.path("a"), withIntermediateDirectories: false)
            try FileManager.default.createDirectory(atPath: sandbox.directory.path("b"), withIntermediateDirectories: false)
            let state = sandbox.directory.path("a/st.sqlite")
            #expect(try await Self.provision(sandbox, state: state).status == 0)
            let before = try Self.holdings(sandbox)
            try FileManager.default.linkItem(atPath: state, toPath: sandbox.directory.path("b/st.sqlite"))
            // Each name would have its own lock and -wal: neither is used.
            for path in [sandbox.directory.path("b/st.sqlite"), state] {
                let run = try await Self.provision(sandbox, state: path)
                #expect(run.status == 2, "\(run.stderrText)")
                #expect(run.stderrText.contains("state file has 2 names (hard links)"), "\(run.stderrText)")
            }
            #expect(!FileManager.default.fileExists(atPath: sandbox.directory.path("b/st.sqlite-wal")))
            #expect(try Self.holdings(sandbox) == before)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aStateFileFromANewerKeybatchIsRefusedNamingBothVersions() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let state = sandbox.directory.path("st.sqlite")
            #expect(try await Self.provision(sandbox, state: state).status == 0)
            let before = try Self.holdings(sandbox)
            // What a newer keybatch's migration leaves behind: an identifier this one does not know.
            let newer = sandbox.directory.path("newer.sqlite")
            try Self.checkpoint(state)
            try FileManager.default.copyItem(atPath: state, toPath: newer)
            let queue = try DatabaseQueue(path: newer)
            try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
            try queue.close()
            let known = try #require(StateStore.migrator.migrations.last)
            for command in ["provision", "plan"] {
                let run = try await Self.provision(sandbox, state: newer, command: command)
                #expect(run.status == 2, "\(command): \(run.stderrText)")
                #expect(run.stderrText.contains("state file was written by a newer keybatch (schema v99-future; this keybatch"), "\(run.stderrText)")
                #expect(run.stderrText.contains("knows up to \(known))"), "\(run.stderrText)")
            }
            #expect(try Self.holdings(sandbox) == before)
            // The refused file is left as it was: still the newer keybatch's.
            let identifiers = try await DatabaseQueue(path: newer).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
            #expect(identifiers.contains("v99-future"))
        }
    }
}
