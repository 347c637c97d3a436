import Foundation

/// Runs a program to its exit without holding a thread of Swift's cooperative pool: the sandbox
/// the program talks to runs in this process and needs those threads (there are as many as cores).
enum ChildRun {
    /// The exit status; standard output is discarded, standard error goes to `stderr`.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String], stderr: URL) async throws -> Int32 {
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let errors = try FileHandle(forWritingTo: stderr)
        defer { try? errors.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
