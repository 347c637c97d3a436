import Foundation
import SeamSandbox
import Testing
@testable import KeyBatch

/// `keybatch links` as a user runs it: usage errors, exit codes, standard output, and no link
/// (nor the key) in the log at its most verbose.
@Suite struct LinksCommandTests {
    static let binary = CrashSafetyTests.binary

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aFileWithoutARequiredColumnOrAnOutputNamingTheInputIsRefused() async throws {
        let directory = try TemporaryDirectory()
        // Nothing listens there: no call may be needed to refuse either.
        let environment = ["SEAM_API_KEY": "seam_test_unused", "SEAM_ENDPOINT": "http://127.0.0.1:9"]
        let results = try directory.write("results.csv", "line,reservation_id,status,acs_credential_id,error_message\r\n2,R-1,provisioned,c,\r\n")
        let missing = try await ChildProcess.run(Self.binary, ["links", results, "--out", directory.path("links.csv")], environment: environment)
        #expect(missing.status == 2)
        #expect(missing.stderrText.contains("\(results):1: missing required column user_identity_id"), "\(missing.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("links.csv")))

        let before = try directory.read("results.csv")
        for out in [results, directory.path("./results.csv")] {
            let same = try await ChildProcess.run(Self.binary, ["links", results, "--out", out], environment: environment)
            #expect(same.status == 2 && same.stderrText.contains("is the same file as"), "\(same.stderrText)")
        }
        let noOut = try await ChildProcess.run(Self.binary, ["links", results], environment: environment)
        #expect(noOut.status == 2)
        #expect(try directory.read("results.csv") == before)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func exitCodesFollowTheReadmeAndNoLinkReachesTheLog() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            _ = try await sandbox.provision(ReservationFixtures.file(ReservationFixtures.rows(count: 10, guests: 10)))
            let environment = ["SEAM_API_KEY": sandbox.server.apiKey, "SEAM_ENDPOINT": sandbox.server.endpoint]
            func links(_ arguments: [String]) async throws -> ChildProcess.Exit {
                try await ChildProcess.run(Self.binary, ["links"] + arguments + ["--log-level", "trace", "--rate", "500", "--burst", "100"],
                                           environment: environment, stdout: .capture, stderr: .capture)
            }
            try sandbox.server.controls.setInstantKeysRefused(true, acsSystemID: InstantKeyRunTests.buildingB)
            let refused = try await links([sandbox.directory.path("results.csv"), "--out", sandbox.directory.path("first.csv")])
            #expect(refused.status == 1, "\(refused.stderrText)")
            #expect(refused.stderrText.contains("10 rows read: 6 given a link (6 links issued, one per guest), 4 refused, 0 skipped"))
            #expect(refused.stderrText.contains("refused: instant_keys_not_supported 4"))

            try sandbox.server.controls.setInstantKeysRefused(false, acsSystemID: InstantKeyRunTests.buildingB)
            let mended = try await links([sandbox.directory.path("first.csv"), "--out", sandbox.directory.path("second.csv")])
            #expect(mended.status == 0, "\(mended.stderrText)")
            #expect(try ReportingTests.mode(sandbox.directory.path("second.csv")) == 0o600)

            // --all to standard output: the file, and nothing else, there.
            let renewed = try await links([sandbox.directory.path("second.csv"), "--all", "--lf", "--out", "-"])
            #expect(renewed.status == 0, "\(renewed.stderrText)")
            let lines = renewed.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 12 && lines.last == "" && lines[0].hasSuffix(",instant_key_url,instant_key_expires_at"))

            let written = try SandboxHarness.readResults(sandbox.directory.path("second.csv")).map { $0["instant_key_url"]! }
                + renewed.stdoutText.split(separator: "\n").compactMap { $0.split(separator: ",").first { $0.hasPrefix("https://") }.map(String.init) }
            #expect(written.count == 20 && written.allSatisfy { $0.hasPrefix("https://") })
            let logs = refused.stderrText + mended.stderrText + renewed.stderrText
            #expect(!logs.contains(sandbox.server.apiKey))
            for link in written { #expect(!logs.contains(link)) }
            // Standard error did name the rows it worked on.
            #expect(logs.contains("reservation_id"))
        }
    }
}
