import Foundation
import SeamAPI
import Synchronization
import Testing
@testable import KeyBatch

/// The progress figures (`ProgressMeter`), and what the `keybatch` binary shows while it runs: a
/// live line on a terminal, plain lines off it, JSON lines with `--log-format json`.
@Suite struct ProgressMeterTests {
    static func sample(written: Int, awaiting: Int = 0, total: Int? = 100, calls: Int, at seconds: Int) -> ProgressMeter.Sample {
        var progress = RunProgress()
        progress.rowsWritten = written
        progress.awaitingSite = awaiting
        progress.rowsTotal = total
        progress.byStatus = written > 0 ? [.provisioned: written] : [:]
        return .init(progress: progress, calls: SeamCallCounts(httpCalls: calls, retries: 2, rateLimited: 1), elapsed: .seconds(seconds))
    }

    @Test func ratesAndTheETAFollowTheRecentPace() {
        var meter = ProgressMeter(span: .seconds(10))
        _ = meter.observe(Self.sample(written: 0, calls: 0, at: 0))
        let early = meter.observe(Self.sample(written: 10, calls: 80, at: 10))
        #expect(early.requestsPerSecond == 8 && early.rowsPerSecond == 1)
        #expect(early.eta == .seconds(90))
        // Faster now: the last ten seconds count, not the slow start.
        _ = meter.observe(Self.sample(written: 30, calls: 240, at: 15))
        let later = meter.observe(Self.sample(written: 50, calls: 400, at: 20))
        #expect(later.rowsPerSecond == 4 && later.requestsPerSecond == 32)
        #expect(later.eta == .seconds(12.5))
        #expect(later.retries == 2 && later.rateLimited == 1)
    }

    @Test func rowsAwaitingTheSiteCountTowardThePaceNotTowardDone() {
        var meter = ProgressMeter()
        _ = meter.observe(Self.sample(written: 0, calls: 0, at: 0))
        let reading = meter.observe(Self.sample(written: 0, awaiting: 20, calls: 100, at: 10))
        #expect(reading.rowsDone == 0 && reading.awaitingSite == 20 && reading.eta == .seconds(40))
        #expect(reading.text.hasPrefix("0/100 rows (0%) ETA 40s; 0 in flight, 20 awaiting site;"))
    }

    @Test func withoutATotalOrAPaceThereIsNoETA() {
        var meter = ProgressMeter()
        let first = meter.observe(Self.sample(written: 0, total: nil, calls: 0, at: 1))
        #expect(first.eta == nil && first.text.hasPrefix("0 rows; 0 in flight;"))
        let noTotal = meter.observe(Self.sample(written: 5, total: nil, calls: 9, at: 2))
        #expect(noTotal.eta == nil && noTotal.text.hasPrefix("5 rows: 5 provisioned;"))
    }

    @Test func theLineIsPlainTextAndTheClockReadsNaturally() {
        var meter = ProgressMeter()
        _ = meter.observe(Self.sample(written: 0, total: 100_000, calls: 0, at: 0))
        let reading = meter.observe(Self.sample(written: 10, total: 100_000, calls: 75, at: 10))
        #expect(reading.text == "10/100000 rows (0%) ETA 27h46m: 10 provisioned; 0 in flight; 7.5 req/s, 1 429s, 2 retries")
        #expect(!reading.text.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(ProgressMeter.Reading.clock(.seconds(185)) == "3m05s" && ProgressMeter.Reading.clock(.seconds(7)) == "7s")
        #expect(reading.metadata["rows_total"]?.description == "100000" && reading.metadata["event"]?.description == "progress")
    }
}

@Suite(.serialized) struct ProgressDisplayTests {
    static let binary = CrashSafetyTests.binary
    static let samples = PackageRoot.samples

    /// A run over the samples against the in-process sandbox slowed enough to last a few seconds.
    static func arguments(_ directory: TemporaryDirectory, _ extra: [String]) -> [String] {
        // About 90 calls at 20 a second after the burst: 3 s or more, and longer on a slower machine.
        ["provision", samples + "/reservations.csv", "--listings", samples + "/listings.csv", "--sandbox", "--sandbox-latency", "60",
         "--rate", "20", "--confirm-timeout", "0", "--out", directory.path("results.csv")] + extra
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func onATerminalTheLineIsRewrittenInPlaceThenErasedForTheSummary() async throws {
        let directory = try TemporaryDirectory()
        let terminal = try PseudoTerminal()
        let child = try ChildProcess(Self.binary, Self.arguments(directory, []), stderr: .fileHandle(terminal.replica))
        terminal.closeReplica()
        let exit = try await child.exit()
        let screen = await terminal.output()
        #expect(exit.status == 1, "\(screen)")  // the samples' invalid rows
        let redraws = screen.components(separatedBy: "\r\u{1B}[K").count - 1
        #expect(redraws >= 3, "\(screen)")
        #expect(screen.contains("/20 rows ("))
        // The summary starts on an erased line, not after a stale progress line.
        #expect(screen.contains("\r\u{1B}[K20 rows: "), "\(screen)")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func offATerminalProgressIsPlainLinesWithoutEscapeCodes() async throws {
        let directory = try TemporaryDirectory()
        let exit = try await ChildProcess.run(Self.binary, Self.arguments(directory, ["--progress-interval", "0.5"]))
        #expect(exit.status == 1, "\(exit.stderrText)")
        #expect(!exit.stderr.contains(0x1B) && !exit.stderr.contains(0x0D))
        let progress = exit.stderrText.split(separator: "\n").filter { $0.hasPrefix("keybatch: progress: ") }
        #expect(progress.count >= 2, "\(exit.stderrText)")
        #expect(progress.allSatisfy { $0.contains("/20 rows (") })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func withJSONLogsEveryLineIsAJSONObjectAndTheSummaryAgreesWithTheResults() async throws {
        let directory = try TemporaryDirectory()
        let exit = try await ChildProcess.run(Self.binary, Self.arguments(directory, ["--log-format", "json", "--progress-interval", "0.5",
                                                                                     "--log-level", "debug"]))
        #expect(exit.status == 1, "\(exit.stderrText)")
        var objects: [[String: Any]] = []
        for line in exit.stderrText.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["ts"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
            if let object { objects.append(object) }
        }
        let results = try SandboxHarness.readResults(directory.path("results.csv"))
        let progress = objects.filter { $0["event"] as? String == "progress" }
        #expect(!progress.isEmpty && progress.allSatisfy { $0["rows_total"] as? Int == 20 })
        // Every invalid row has its line, with the row's line and reservation id.
        let rowLines = objects.filter { $0["level"] as? String == "warning" && $0["reservation_id"] != nil }
        let invalid = results.filter { $0["status"] == "invalid" }
        #expect(rowLines.count == invalid.count)
        for (logged, row) in zip(rowLines, invalid) {
            #expect(logged["line"] as? Int == Int(row["line"]!) && logged["reservation_id"] as? String == row["reservation_id"])
        }
        // A Seam call made for a row, logged down in SeamAPI, carries the row too (the metadata
        // provider the CLI installs); the one-time listing check carries none.
        let calls = objects.filter { $0["message"] as? String == "Seam call" }
        let rowCalls = calls.filter { $0["path"] as? String == "acs/users/create" }
        #expect(!rowCalls.isEmpty && rowCalls.allSatisfy { $0["reservation_id"] is String && $0["line"] is Int && $0["status"] as? Int == 200 })
        #expect(calls.filter { ($0["path"] as? String)?.hasPrefix("acs/systems") == true }.allSatisfy { $0["reservation_id"] == nil })
        let summary = try #require(objects.last)
        #expect(summary["event"] as? String == "summary" && summary["exit_code"] as? Int == 1)
        #expect(summary["by_status"] as? [String: Int] == Dictionary(grouping: results, by: { $0["status"]! }).mapValues(\.count))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: binary), "needs the keybatch binary (swift build)"))
    func aUsageErrorIsAJSONLineTooWhenJSONWasAsked() async throws {
        let exit = try await ChildProcess.run(Self.binary, ["provision", "nothing.csv", "--listings", "l.csv", "--log-format", "json"])
        #expect(exit.status == 2)
        let lines = exit.stderrText.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(object?["level"] as? String == "error" && (object?["message"] as? String)?.contains("--out") == true)
        // Links need the state: without it every night would send every guest a new link.
        let noState = try await ChildProcess.run(Self.binary, ["provision", "r.csv", "--listings", "l.csv", "--out", "o.csv", "--no-state", "--instant-keys"])
        #expect(noState.status == 2 && noState.stderrText.contains("--instant-keys needs the state file"))
    }
}

/// A pseudo-terminal for a child's standard error: the child sees a terminal (`isatty`), the test
/// reads what it drew. The reading runs on a thread of its own, never one of the cooperative pool.
final class PseudoTerminal: Sendable {
    private let primary: Int32
    let replica: FileHandle
    private final class Collected: Sendable {
        let data = Mutex<Data>(Data())
    }

    private let collected = Collected()
    private let finished: AsyncStream<Void>

    init() throws {
        // posix_openpt and friends are not visible through Swift's Glibc module: the same steps
        // by hand, as glibc takes them on Linux (devpts needs no grantpt).
        let primary = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard primary >= 0, ioctl(primary, Self.unlockRequest, &unlock) == 0, ioctl(primary, Self.numberRequest, &number) == 0 else {
            throw CocoaError(.fileReadUnknown)
        }
        let replica = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard replica >= 0 else { throw CocoaError(.fileReadUnknown) }
        self.primary = primary
        self.replica = FileHandle(fileDescriptor: replica, closeOnDealloc: true)
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        finished = stream
        let collected = collected
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(primary, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                // EIO: every replica descriptor is closed (the child exited).
                guard count > 0 else { break }
                collected.data.withLock { $0.append(contentsOf: buffer[0..<count]) }
            }
            close(primary)
            continuation.finish()
        }
    }

    /// `TIOCSPTLCK` and `TIOCGPTN` (`_IOW('T', 0x31, int)`, `_IOR('T', 0x30, unsigned int)`),
    /// macros Swift does not import.
    private static let unlockRequest: UInt = 0x4004_5431
    private static let numberRequest: UInt = 0x8004_5430

    /// Closes this process's copy of the replica once the child holds its own.
    func closeReplica() { try? replica.close() }

    /// Everything drawn, once the child has exited and closed the terminal.
    func output() async -> String {
        for await _ in finished {}
        return String(decoding: collected.data.withLock { $0 }, as: UTF8.self)
    }
}
