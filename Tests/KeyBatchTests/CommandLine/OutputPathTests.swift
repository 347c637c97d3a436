import Foundation
import Testing
@testable import KeyBatch

/// Where the real binary's outputs (`--out`, `--json-summary`, `--metrics-file`) may go: FIFOs,
/// devices and descriptors are written through, never renamed over; the state's files and the
/// other outputs are refused; what reaches a terminal is escaped, what reaches a pipe is exact.
@Suite struct OutputPathTests {
    static let binary = CrashSafetyTests.binary
    static let samples = CrashSafetyTests.packageRoot.appendingPathComponent("samples").path
    static let validate = ["validate", "\(samples)/reservations.csv", "--listings", "\(samples)/listings.csv"]

    /// A `provision` of the samples against the in-process sandbox, quick.
    static func provision(_ extra: [String]) -> [String] {
        ["provision", "\(samples)/reservations.csv", "--listings", "\(samples)/listings.csv", "--sandbox", "--rate", "200", "--burst", "50",
         "--confirm-timeout", "0"] + extra
    }

    static func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    static func makeFIFO(_ path: String) throws {
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// `cat FIFO` in a process of its own: what a reader of the FIFO gets. A reader whose FIFO
    /// was never opened for writing (renamed over instead) is stopped after `bytesRead`'s limit
    /// and shows what it got: nothing.
    static func reader(of fifo: String) throws -> ChildProcess {
        try ChildProcess("/bin/cat", [fifo], stdout: .capture, stderr: .discard)
    }

    static func bytesRead(by reader: ChildProcess, limit: Duration = .seconds(20)) async throws -> Data {
        let stopper = Task {
            try await Task.sleep(for: limit)
            // SIGKILL: a child inherits the test runner's signal mask, where SIGTERM is blocked.
            reader.kill(SIGKILL)
        }
        defer { stopper.cancel() }
        return try await reader.exit().stdout
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aFIFOOrALinkToOneIsWrittenThroughNeverReplaced() async throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("results.fifo")
        try Self.makeFIFO(fifo)
        let reader = try Self.reader(of: fifo)
        let run = try await ChildProcess.run(Self.binary, Self.validate + ["--out", fifo])
        let got = String(decoding: try await Self.bytesRead(by: reader), as: UTF8.self)
        #expect(run.status == 1, "\(run.stderrText)")  // the samples' invalid rows
        #expect(got.hasPrefix("line,reservation_id,guest_email"), "\(got)")
        #expect(got.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 21)
        #expect(Self.kind(fifo) == S_IFIFO)
        #expect(!FileManager.default.fileExists(atPath: fifo + ".partial"))

        // The reports of a provision run: one FIFO named directly, one through a link.
        let summary = directory.path("summary.fifo"), metrics = directory.path("metrics.fifo")
        try Self.makeFIFO(summary)
        try Self.makeFIFO(metrics)
        try FileManager.default.createSymbolicLink(atPath: directory.path("metrics.prom"), withDestinationPath: metrics)
        let summaryReader = try Self.reader(of: summary), metricsReader = try Self.reader(of: metrics)
        let provision = try await ChildProcess.run(Self.binary, Self.provision(["--out", directory.path("r.csv"), "--json-summary", summary,
                                                                                "--metrics-file", directory.path("metrics.prom")]))
        let json = try await Self.bytesRead(by: summaryReader), prometheus = try await Self.bytesRead(by: metricsReader)
        #expect(provision.status == 1, "\(provision.stderrText)")
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["schema_version"] as? Int == 1 && object?["exit_code"] as? Int == 1, "\(String(decoding: json, as: UTF8.self))")
        #expect(String(decoding: prometheus, as: UTF8.self).contains("keybatch_last_run_exit_code 1"))
        #expect(Self.kind(summary) == S_IFIFO && Self.kind(metrics) == S_IFIFO && Self.kind(directory.path("metrics.prom")) == S_IFLNK)
    }

    /// A FIFO nothing reads is waited on for a while, then given up: the run still ends, with
    /// its own exit code, and the FIFO is left a FIFO.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aFIFONothingReadsIsGivenUpNotWaitedOnForever() async throws {
        let directory = try TemporaryDirectory()
        let summary = directory.path("summary.fifo")
        try Self.makeFIFO(summary)
        let started = ContinuousClock.now
        let run = try await ChildProcess.run(Self.binary, Self.provision(["--out", directory.path("r.csv"), "--json-summary", summary]))
        #expect(run.status == 1, "\(run.stderrText)")
        #expect(run.stderrText.contains("cannot write the JSON summary") && run.stderrText.contains("is a FIFO that nothing read within 10 s"),
                "\(run.stderrText)")
        #expect(ContinuousClock.now - started >= OutputTarget.readerWait)
        #expect(Self.kind(summary) == S_IFIFO)
    }

    /// Device nodes made in the test's folder (`mknod` needs root or CAP_MKNOD: skipped without).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aCharacterDeviceIsWrittenThroughNeverReplaced() async throws {
        let directory = try TemporaryDirectory()
        let null = directory.path("mydevnull"), full = directory.path("mydevfull")
        // makedev(1, 3) and makedev(1, 7): /dev/null's and /dev/full's numbers.
        guard mknod(null, S_IFCHR | 0o666, 0x103) == 0, mknod(full, S_IFCHR | 0o666, 0x107) == 0 else {
            print("skipped: mknod is not permitted here (errno \(errno))")
            return
        }
        let discarded = try await ChildProcess.run(Self.binary, Self.validate + ["--out", null])
        #expect(discarded.status == 1, "\(discarded.stderrText)")
        #expect(Self.kind(null) == S_IFCHR)
        // /dev/full refuses every write: the run says so (exit 2), and the node stays a device.
        let refused = try await ChildProcess.run(Self.binary, Self.validate + ["--out", full])
        #expect(refused.status == 2 && refused.stderrText.contains("No space left on device"), "\(refused.stderrText)")
        #expect(Self.kind(full) == S_IFCHR)
        #expect(!FileManager.default.fileExists(atPath: full + ".partial"))
        // Both reports to one device is allowed (a device is not overwritten).
        let reports = try await ChildProcess.run(Self.binary, Self.provision(["--out", directory.path("r.csv"), "--json-summary", null,
                                                                              "--metrics-file", null]))
        #expect(reports.status == 1, "\(reports.stderrText)")
        #expect(Self.kind(null) == S_IFCHR)
    }

    /// `/dev/fd/1` is standard output, whatever it is (here a file the test reads): written to,
    /// not replaced. (`/dev/stdout` is the same rule; it is not tried, since a binary without it
    /// would replace this machine's `/dev/stdout`.)
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aDescriptorPathWritesToTheDescriptor() async throws {
        let run = try await ChildProcess.run(Self.binary, Self.validate + ["--out", "/dev/fd/1"], stdout: .capture)
        #expect(run.status == 1, "\(run.stderrText)")
        #expect(run.stdoutText.hasPrefix("line,reservation_id,guest_email"))
        #expect(run.stdoutText.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 21)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func outputsMayNotNameTheStateItsSideFilesOrEachOther() async throws {
        let directory = try TemporaryDirectory()
        let state = directory.path("st.sqlite")
        let refusals: [([String], String)] = [
            (["--out", state + "-wal", "--state", state], "is the same file as \(state)-wal"),
            (["--out", directory.path("./st.sqlite.lock"), "--state", state], "st.sqlite.lock"),
            (["--out", directory.path("r.csv"), "--json-summary", state + "-shm", "--state", state], "--json-summary"),
            (["--out", directory.path("r.csv"), "--metrics-file", state + "-journal", "--state", state], "--metrics-file"),
            // Without --state the state is keybatch-state.sqlite beside the results.
            (["--out", directory.path("r.csv"), "--json-summary", directory.path("keybatch-state.sqlite-wal")], "keybatch-state.sqlite-wal"),
            (["--out", directory.path("o3.csv"), "--json-summary", directory.path("o3.csv")], "is the same file as --out"),
            (["--out", directory.path("r.csv"), "--json-summary", directory.path("m.prom"), "--metrics-file", directory.path("./m.prom")],
             "is the same file as --json-summary"),
        ]
        for (flags, message) in refusals {
            let run = try await ChildProcess.run(Self.binary, Self.provision(flags))
            #expect(run.status == 2, "\(flags): \(run.stderrText)")
            #expect(run.stderrText.contains(message), "\(flags): \(run.stderrText)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
        // `-` is standard output, here a file: not two outputs at once.
        let twice = try await ChildProcess.run(Self.binary, Self.provision(["--out", "-", "--json-summary", "-", "--state", state]), stdout: .capture)
        #expect(twice.status == 2 && twice.stderrText.contains("--json-summary - is the same file as --out -"), "\(twice.stderrText)")

        // Existing side files, reached through a hard link or a linked folder: refused, untouched.
        #expect(try await ChildProcess.run(Self.binary, Self.provision(["--out", directory.path("r.csv"), "--state", state])).status == 1)
        let lock = try Data(contentsOf: URL(fileURLWithPath: state + ".lock"))
        try FileManager.default.linkItem(atPath: state + ".lock", toPath: directory.path("other-name"))
        try FileManager.default.createSymbolicLink(atPath: directory.path("same-folder"), withDestinationPath: directory.url.path)
        for out in [directory.path("other-name"), directory.path("same-folder/st.sqlite.lock")] {
            let run = try await ChildProcess.run(Self.binary, Self.provision(["--out", out, "--state", state]))
            #expect(run.status == 2 && run.stderrText.contains("is the same file as"), "\(out): \(run.stderrText)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: state + ".lock")) == lock)
    }

    /// A reservation field holding ESC (a screen clear) and NUL.
    static func hostileFile(_ directory: TemporaryDirectory) throws -> String {
        try directory.write("hostile.csv", "reservation_id,guest_email,listing_id,check_in,check_out\n"
            + "R-1,bad\u{1B}[2Jmail@example.com,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z\n"
            + "R-2,nul\u{0}@example.com,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z\n"
            + "R-3,ok@example.com,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z\n")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func echoedValuesShowControlCharactersEscaped() async throws {
        let zone = try await ChildProcess.run(Self.binary, Self.validate + ["--timezone", "Europe/\u{1B}[31mX"])
        #expect(zone.status == 2)
        #expect(!zone.stderr.contains(0x1B) && zone.stderrText.contains("Europe/\\u{1B}[31mX"), "\(zone.stderrText)")
        let delimiter = try await ChildProcess.run(Self.binary, Self.validate + ["--delimiter", "\r"])
        #expect(delimiter.status == 2)
        #expect(!delimiter.stderr.contains(0x0D) && delimiter.stderrText.contains("\\u{D}"), "\(delimiter.stderrText)")
        let unknown = try await ChildProcess.run(Self.binary, Self.validate + ["--\u{1B}]0;title\u{7}"])
        #expect(unknown.status == 2)
        #expect(!unknown.stderr.contains(0x1B) && !unknown.stderr.contains(0x07), "\(unknown.stderrText)")
        // A file name in the summary.
        let directory = try TemporaryDirectory()
        let named = try directory.write("in\u{1B}[2J.csv", try String(contentsOfFile: "\(Self.samples)/reservations.csv", encoding: .utf8))
        let summary = try await ChildProcess.run(Self.binary, ["validate", named, "--listings", "\(Self.samples)/listings.csv"])
        #expect(summary.status == 1)
        #expect(!summary.stderr.contains(0x1B) && summary.stderrText.contains("in\\u{1B}[2J.csv: 20 rows"), "\(summary.stderrText)")
    }

    /// `validate --out -` into a pipe: the CSV is data, byte for byte what `--out FILE` holds.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func standardOutputThroughAPipeIsByteExact() async throws {
        let directory = try TemporaryDirectory()
        let hostile = try Self.hostileFile(directory)
        let listings = "\(Self.samples)/listings.csv"
        #expect(try await ChildProcess.run(Self.binary, ["validate", hostile, "--listings", listings, "--out", directory.path("v.csv")]).status == 1)
        let pipe = Pipe()
        let child = try ChildProcess(Self.binary, ["validate", hostile, "--listings", listings, "--out", "-"], stdout: .fileHandle(pipe.fileHandleForWriting))
        try pipe.fileHandleForWriting.close()
        let exit = try await child.exit()
        let piped = try pipe.fileHandleForReading.readToEnd() ?? Data()
        #expect(exit.status == 1)
        let file = try Data(contentsOf: URL(fileURLWithPath: directory.path("v.csv")))
        #expect(piped == file)
        #expect(piped.contains(0x1B) && piped.contains(0x00))
    }

    /// `validate --out -` onto a terminal: the same rows, with ESC and NUL shown escaped.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func standardOutputOnATerminalShowsControlCharactersEscaped() async throws {
        let directory = try TemporaryDirectory()
        let hostile = try Self.hostileFile(directory)
        let terminal = try PseudoTerminal()
        let child = try ChildProcess(Self.binary, ["validate", hostile, "--listings", "\(Self.samples)/listings.csv", "--out", "-"],
                                     stdout: .fileHandle(terminal.replica), stderr: .discard)
        terminal.closeReplica()
        let exit = try await child.exit()
        let screen = await terminal.output()
        #expect(exit.status == 1)
        #expect(screen.contains("R-3,ok@example.com,A-101,valid"), "\(screen)")
        #expect(!screen.contains("\u{1B}[2J") && !screen.unicodeScalars.contains("\u{0}"), "\(screen)")
        #expect(screen.contains("bad\\u{1B}[2Jmail@example.com") && screen.contains("nul\\u{0}@example.com"), "\(screen)")
    }
}
