import Foundation

/// A child process (the `keybatch` binary, the fuzz replayer, `sha256sum`) whose exit a test
/// awaits without holding a thread.
///
/// Why not `waitUntilExit()`: the in-process sandbox answers the child from Swift's cooperative
/// pool, which has one thread per core. A test blocked in `waitUntilExit()` (or in a pipe read)
/// takes one of them; on a 2-core machine under a sanitizer two such tests starve every sandbox
/// and the children time out against a server that never got a thread. Output goes to files, not
/// pipes, so a chatty child can never fill a pipe and wait on a reader that waits on it.
final class ChildProcess: @unchecked Sendable {
    enum Output {
        case discard, capture
        /// An open file (a pseudo-terminal's replica), written by the child directly.
        case fileHandle(FileHandle)

        var isCapture: Bool {
            if case .capture = self { return true }
            return false
        }
    }

    struct Exit {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: Data
        var stderr: Data
        var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        var killedBySIGKILL: Bool { reason == .uncaughtSignal && status == SIGKILL }
    }

    private let process = Process()
    private let exited: AsyncStream<Void>
    private let stdoutPath: String?
    private let stderrPath: String?

    /// Starts `executable`. The test process's environment is inherited without `SEAM_API_KEY`
    /// (a developer's real key must never reach a test's child), then `environment` is laid over it.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
         stdout: Output = .discard, stderr: Output = .discard) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var base = ProcessInfo.processInfo.environment
        base["SEAM_API_KEY"] = nil
        process.environment = base.merging(environment) { $1 }
        stdoutPath = stdout.isCapture ? try Self.captureFile() : nil
        stderrPath = stderr.isCapture ? try Self.captureFile() : nil
        process.standardOutput = try Self.handle(stdout, stdoutPath)
        process.standardError = try Self.handle(stderr, stderrPath)
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        exited = stream
        process.terminationHandler = { _ in continuation.finish() }
        try process.run()
    }

    /// Runs `executable` to its end.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                    stdout: Output = .discard, stderr: Output = .capture) async throws -> Exit {
        try await ChildProcess(executable, arguments, environment: environment, stdout: stdout, stderr: stderr).exit()
    }

    var processIdentifier: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func kill(_ signal: Int32 = SIGKILL) {
        if process.isRunning { Foundation.kill(process.processIdentifier, signal) }
    }

    /// Waits for the exit without blocking a thread, then reads and removes the captured output.
    func exit() async throws -> Exit {
        for await _ in exited {}
        defer {
            for path in [stdoutPath, stderrPath].compactMap({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
        }
        return Exit(status: process.terminationStatus, reason: process.terminationReason,
                    stdout: try stdoutPath.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } ?? Data(),
                    stderr: try stderrPath.map { try Data(contentsOf: URL(fileURLWithPath: $0)) } ?? Data())
    }

    private static func handle(_ output: Output, _ capturePath: String?) throws -> FileHandle {
        if case .fileHandle(let handle) = output { return handle }
        return try capturePath.map { try FileHandle(forWritingTo: URL(fileURLWithPath: $0)) } ?? FileHandle.nullDevice
    }

    private static func captureFile() throws -> String {
        let path = NSTemporaryDirectory() + "keybatch-test-\(UUID().uuidString).out"
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return path
    }
}
