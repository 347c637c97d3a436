#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a small report file (the JSON summary, the metrics file) whole or not at all: to
/// `FILE.partial` (created exclusively of links, as the results are), then renamed, so a
/// collector or a log shipper never reads half of one.
public enum ReportFile {
    /// Reads a small regular file written by an earlier run (the metrics file being replaced):
    /// nil for anything else, never through a link, never blocking on a FIFO planted there, and
    /// never more than `limit` bytes.
    public static func readPrevious(_ path: String, limit: Int = 1 << 20) -> String? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, Int(status.st_size) <= limit else { return nil }
        let data = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).readDataToEndOfFile()
        return String(decoding: data.prefix(limit), as: UTF8.self)
    }

    /// - Parameter mode: for a new file: 0600 for what a person reads (paths, counts), 0644 for
    ///   the metrics file, which node_exporter reads as another user. A file of ours that exists
    ///   keeps its mode, as results files do.
    ///
    /// Standard output (`-`), a FIFO or a character device is written through, never renamed
    /// over (`OutputTarget`).
    public static func write(_ data: Data, to path: String, mode: mode_t) throws {
        let target = try OutputTarget.of(path)
        guard target == .replace else { return try writeThrough(data, to: path, target: target) }
        let partial = path + ".partial"
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard descriptor >= 0 else { throw OutputFileError(file: partial, reason: String(cString: strerror(errno))) }
        _ = fchmod(descriptor, KeptFileMode.of(path) ?? mode)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            close(descriptor)
            unlink(partial)
            throw OutputFileError(file: partial, reason: "\(error.localizedDescription)")
        }
        close(descriptor)
        do {
            try OutputTarget.rename(partial, to: path)
        } catch {
            unlink(partial)
            throw error
        }
    }

    /// Writes `data` whole to standard output, a FIFO or a device (no `synchronize`: such a file
    /// has nothing to make durable).
    private static func writeThrough(_ data: Data, to path: String, target: OutputTarget) throws {
        let descriptor = try OutputTarget.openThrough(path, target: target) ?? dup(STDOUT_FILENO)
        guard descriptor >= 0 else { throw OutputFileError(file: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        do {
            try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).write(contentsOf: data)
        } catch {
            throw OutputFileError(file: path, reason: "\(error.localizedDescription)")
        }
    }
}
