import Foundation
import Testing
@testable import KeyBatch

/// The `keybatch` binary as a user runs it: exit codes and what reaches the terminal.
@Suite struct CommandLineTests {
    static let binary = CrashSafetyTests.binary
    static let samples = CrashSafetyTests.packageRoot.appendingPathComponent("samples").path

    struct Outcome {
        var status: Int32
        var stderr: String
    }

    private func keybatch(_ arguments: [String], environment: [String: String] = [:]) async throws -> Outcome {
        let exit = try await ChildProcess.run(Self.binary, arguments, environment: environment)
        return Outcome(status: exit.status, stderr: exit.stderrText)
    }

    /// `keybatch sandbox` declares no logging flags: it must start all the same (a logging set-up
    /// that read flags the command lacks once trapped here) and print where it listens.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func theSandboxCommandStartsAndSaysWhereItListens() async throws {
        let child = try ChildProcess(Self.binary, ["sandbox", "--port", "0"], stdout: .capture, stderr: .capture)
        try await Task.sleep(for: .seconds(3))
        #expect(child.isRunning)
        child.kill(SIGTERM)
        let exit = try await child.exit()
        #expect(exit.stdoutText.contains("SEAM_ENDPOINT=http://127.0.0.1:"), "\(exit.stderrText)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func exitCodesFollowTheReadme() async throws {
        let directory = try TemporaryDirectory()
        let validate = try await keybatch(["validate", "\(Self.samples)/reservations.csv", "--listings", "\(Self.samples)/listings.csv",
                                     "--out", directory.path("v.csv")])
        #expect(validate.status == 1)
        #expect(validate.stderr.contains("reservations.csv:13:2: invalid_email"))
        #expect(validate.stderr.contains("20 rows: 10 valid, 9 invalid, 1 expired"))

        let usage = try await keybatch(["provision", "\(Self.samples)/reservations.csv", "--listings", "\(Self.samples)/listings.csv",
                                  "--out", directory.path("p.csv"), "--rate", "0"])
        #expect(usage.status == 2)

        let missingKey = try await keybatch(["provision", "\(Self.samples)/reservations.csv", "--listings", "\(Self.samples)/listings.csv",
                                       "--out", directory.path("p.csv")])
        #expect(missingKey.status == 2)
        #expect(missingKey.stderr.contains("SEAM_API_KEY"))

        let missingColumn = try await keybatch(["validate", try directory.write("bad.csv", "reservation_id,email\nR-1,a@example.com\n"),
                                          "--listings", "\(Self.samples)/listings.csv"])
        #expect(missingColumn.status == 2)
        #expect(missingColumn.stderr.contains("missing required columns guest_email, listing_id, check_in, check_out"))

        let badZone = try await keybatch(["validate", "\(Self.samples)/reservations.csv", "--listings", "\(Self.samples)/listings.csv",
                                    "--timezone", "Mars/Base"])
        #expect(badZone.status == 2)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func theSandboxDemoProvisionsTheSamples() async throws {
        let directory = try TemporaryDirectory()
        let run = try await keybatch(["provision", "\(Self.samples)/reservations.csv", "--listings", "\(Self.samples)/listings.csv",
                                "--out", directory.path("results.csv"), "--sandbox", "--rate", "200", "--burst", "50"])
        #expect(run.status == 1)  // the samples hold invalid rows on purpose
        // Jane's second stay on the same site, a month after her first: deferred, on her one user.
        #expect(run.stderr.contains("8 provisioned") && run.stderr.contains("1 deferred"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("keybatch-state.sqlite")))
        let results = try directory.read("results.csv")
        #expect(results.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 21)
    }

    /// Hardening: what a careless or hostile command line cannot do.
    /// The sandbox's identity link rule is one of four names, checked before anything runs and
    /// never echoed (it could carry escapes); `--sandbox-identity-rule` needs `--sandbox`.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func theSandboxIdentityRuleFlagsAreChecked() async throws {
        let directory = try TemporaryDirectory()
        let provision = ["provision", "\(Self.samples)/reservations.csv", "--listings", "\(Self.samples)/listings.csv", "--out", directory.path("r.csv")]
        let names = "must be refuse, allow, refuse-on-site or relink"
        let bogus = try await keybatch(provision + ["--sandbox", "--sandbox-identity-rule", "bogus\u{1b}[31m"])
        #expect(bogus.status == 2 && bogus.stderr.contains("--sandbox-identity-rule \(names)"), "\(bogus.stderr)")
        #expect(!bogus.stderr.contains("bogus") && !bogus.stderr.contains("\u{1b}[31m"))
        let withoutSandbox = try await keybatch(provision + ["--sandbox-identity-rule", "allow"])
        #expect(withoutSandbox.status == 2 && withoutSandbox.stderr.contains("--sandbox-identity-rule needs --sandbox"), "\(withoutSandbox.stderr)")
        let server = try await keybatch(["sandbox", "--port", "0", "--identity-rule", "refuse on site"])
        #expect(server.status == 2 && server.stderr.contains("--identity-rule \(names)"), "\(server.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("r.csv")))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func flagsPathsAndEndpointsAreCheckedBeforeAnythingRuns() async throws {
        let directory = try TemporaryDirectory()
        let reservations = try directory.write("in.csv", try String(contentsOfFile: "\(Self.samples)/reservations.csv", encoding: .utf8))
        let listings = "\(Self.samples)/listings.csv"
        let provision = ["provision", reservations, "--listings", listings, "--sandbox"]
        // Numbers out of any sane range are usage errors, not traps or endless waits.
        for extreme in [["--rate", "inf"], ["--rate", "1e-300"], ["--request-timeout", "1e300"], ["--connect-timeout", "inf"], ["--burst", "nan"],
                        ["--confirm-timeout", "99999999"]] {
            let run = try await keybatch(provision + ["--out", directory.path("r.csv")] + extreme)
            #expect(run.status == 2, "\(extreme)")
        }
        // --out naming what the run reads or keeps, or a folder: refused, nothing touched.
        let before = try directory.read("in.csv")
        #expect(try await keybatch(["validate", reservations, "--listings", listings, "--out", reservations]).status == 2)
        #expect(try await keybatch(["validate", reservations, "--listings", listings, "--out", directory.path("./in.csv")]).status == 2)
        #expect(try directory.read("in.csv") == before)
        let state = try directory.write("s.sqlite", "not touched")
        let sameState = try await keybatch(provision + ["--out", state, "--state", state])
        #expect(sameState.status == 2 && sameState.stderr.contains("same file"))
        #expect(try directory.read("s.sqlite") == "not touched")
        #expect(try await keybatch(provision + ["--out", directory.path("")]).status == 2)
        // A link planted at the .partial is refused, not followed.
        let victim = try directory.write("victim.txt", "precious")
        try FileManager.default.createSymbolicLink(atPath: directory.path("out.csv.partial"), withDestinationPath: victim)
        #expect(try await keybatch(["validate", reservations, "--listings", listings, "--out", directory.path("out.csv")]).status == 2)
        #expect(try directory.read("victim.txt") == "precious")
        // Results name guests: created 0600.
        #expect(try await keybatch(["validate", reservations, "--listings", listings, "--out", directory.path("v.csv")]).status == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: directory.path("v.csv"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // An existing results file keeps the mode its owner chose (0640 for a group that reads it).
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: directory.path("v.csv"))
        #expect(try await keybatch(["validate", reservations, "--listings", listings, "--out", directory.path("v.csv")]).status == 1)
        #expect(try FileManager.default.attributesOfItem(atPath: directory.path("v.csv"))[.posixPermissions] as? Int == 0o640)
        // A control character in a field: the row is invalid with its own code, and what reaches
        // the terminal shows it escaped, never as a raw escape sequence.
        let hostile = try directory.write("hostile.csv", "reservation_id,guest_email,listing_id,check_in,check_out\n"
            + "R-1,bad\u{1B}[2Jmail@example.com,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z\n"
            + "R-2,nul\u{0}@example.com,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z\n")
        let checked = try await keybatch(["validate", hostile, "--listings", listings, "--out", directory.path("h.csv")])
        #expect(checked.status == 1)
        #expect(!checked.stderr.contains("\u{1B}") && !checked.stderr.contains("\u{0}"))
        #expect(checked.stderr.contains("control_character") && checked.stderr.contains("\\u{1B}"))
        #expect(try directory.read("h.csv").components(separatedBy: "control_character").count - 1 >= 2)
        // A key file others can read is named.
        let keyFile = try directory.write("key", "seam_test_key_123")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        let readable = try await keybatch(["provision", reservations, "--listings", listings, "--out", directory.path("k.csv"), "--api-key-file", keyFile],
                                    environment: ["SEAM_ENDPOINT": "http://seam.example.com"])
        #expect(readable.stderr.contains("readable by every user") && !readable.stderr.contains("seam_test_key_123"))
        // A Seam that cannot be reached stops the run at its first check, not after every row's timeouts.
        let unreachable = try await keybatch(["provision", reservations, "--listings", listings, "--out", directory.path("u.csv"), "--no-state",
                                        "--max-attempts", "2", "--connect-timeout", "1"],
                                       environment: ["SEAM_API_KEY": "seam_test_key_123", "SEAM_ENDPOINT": "http://127.0.0.1:1"])
        #expect(unreachable.status == 2)
        #expect(unreachable.stderr.contains("could not be reached at http://127.0.0.1:1"))
        let unreachableRows = try directory.read("u.csv").components(separatedBy: "\r\n")
        #expect(unreachableRows.filter { $0.contains(",failed,") }.count == 1)
        #expect(unreachableRows.filter { $0.contains(",not_started,") }.count == 9)
        // The key never crosses the network in clear text.
        let insecure = try await keybatch(["provision", reservations, "--listings", listings, "--out", directory.path("p.csv")],
                                    environment: ["SEAM_API_KEY": "seam_test_key_123", "SEAM_ENDPOINT": "http://seam.example.com"])
        #expect(insecure.status == 2 && insecure.stderr.contains("clear text") && !insecure.stderr.contains("seam_test_key_123"))
        let lookalike = try await keybatch(["provision", reservations, "--listings", listings, "--out", directory.path("p.csv")],
                                     environment: ["SEAM_API_KEY": "seam_test_key_123", "SEAM_ENDPOINT": "http://127.evil.example"])
        #expect(lookalike.status == 2 && lookalike.stderr.contains("clear text"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func versionAndDelimiterFlags() async throws {
        let version = try await ChildProcess.run(Self.binary, ["--version"], stdout: .capture)
        #expect(version.status == 0 && version.stdoutText == "keybatch \(KeyBatchVersion.current)\n")
        let directory = try TemporaryDirectory()
        let reservations = try directory.write("r.csv", "reservation_id;guest_email;listing_id;check_in;check_out\n"
            + "R-1;a@example.com;A-101;2027-07-01T15:00:00Z;2027-07-03T11:00:00Z\n")
        // The European export beside the samples' comma listings, without a flag: valid (exit 0).
        let detected = try await keybatch(["validate", reservations, "--listings", "\(Self.samples)/listings.csv", "--out", directory.path("v.csv")])
        #expect(detected.status == 0, "\(detected.stderr)")
        // A delimiter flag that is not one character is a usage error, named.
        let bad = try await keybatch(["validate", reservations, "--listings", "\(Self.samples)/listings.csv", "--listings-delimiter", ";;"])
        #expect(bad.status == 2 && bad.stderr.contains("--listings-delimiter must be a single ASCII character"))
    }

    /// Issue 26, item 11: C1 controls and line or paragraph separators make a row invalid in any
    /// column; bidi controls and zero-width characters in the two columns Seam gets as names. A
    /// name that is merely not ASCII is fine.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func unicodeControlAndFormatCharactersMakeARowInvalid() async throws {
        let directory = try TemporaryDirectory()
        let stay = "A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z"
        let rows = [
            "R-1,a@example.com,Jane\u{9B}31m Doe,\(stay)",          // line 2: C1 CSI in the name
            "R-2,b\u{85}@example.com,Bob,\(stay)",                  // line 3: NEL in the email
            "R-3,c@example.com,Line\u{2028}Separator,\(stay)",      // line 4
            "C-bidi\u{202E}gnp.exe,d@example.com,Dee,\(stay)",      // line 5: an override in the id
            "R-5,e@example.com,Ze\u{200B}ro,\(stay)",               // line 6: zero-width space in the name
            "R-6,f@example.com,José Müller نور,\(stay)",             // line 7: fine
        ]
        let input = try directory.write("u.csv", "reservation_id,guest_email,guest_name,listing_id,check_in,check_out\n" + rows.joined(separator: "\n") + "\n")
        let run = try await keybatch(["validate", input, "--listings", "\(Self.samples)/listings.csv", "--out", directory.path("v.csv")])
        #expect(run.status == 1, "\(run.stderr)")
        for expected in ["u.csv:2:3: control_character: (guest_name) guest_name contains the control character U+009B",
                         "u.csv:3:2: control_character: (guest_email) guest_email contains the control character U+0085",
                         "u.csv:4:3: control_character: (guest_name) guest_name contains the line separator U+2028",
                         "u.csv:5:1: format_character: (reservation_id) reservation_id contains the bidirectional control U+202E",
                         "u.csv:6:3: format_character: (guest_name) guest_name contains the zero-width character U+200B"] {
            #expect(run.stderr.contains(expected), "missing \(expected) in \(run.stderr)")
        }
        #expect(run.stderr.contains("6 rows: 1 valid, 5 invalid"), "\(run.stderr)")
        // The terminal gets no raw C1 or bidi character from the messages.
        #expect(!run.stderr.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x202E })
    }
}

/// Every file under `Fuzz/seeds/` (the fuzzer's seed corpus, and any input a fuzz run found
/// crashing, once fixed) goes through the fuzz target's checks on every `make test`.
@Suite struct FuzzSeedReplayTests {
    static let replayer = CrashSafetyTests.packageRoot.appendingPathComponent(".build/debug/KeyBatchFuzz").path
    static let seeds = CrashSafetyTests.packageRoot.appendingPathComponent("Fuzz/seeds").path

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: replayer), "needs the KeyBatchFuzz replayer (swift build)"))
    func everySeedPassesTheFuzzChecks() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.seeds).sorted().map { "\(Self.seeds)/\($0)" }
        #expect(files.count >= 10)
        let replay = try await ChildProcess.run(Self.replayer, files, stdout: .capture, stderr: .discard)
        #expect(replay.status == 0)
        let printed = replay.stdoutText
        #expect(printed.split(separator: "\n").count == files.count)
    }
}
