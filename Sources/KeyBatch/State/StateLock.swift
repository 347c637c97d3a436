#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run per state file: an exclusive `flock` on `STATE.lock`, held for the life of the run.
///
/// The kernel drops the lock when the process dies, however it dies, so a crashed run never
/// leaves a stale lock behind for the next night. The file holds who took it, so a second run
/// can say which run is in its way.
public final class StateLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// - Throws: `StateFileError` naming the holder when another run has the lock.
    /// - Parameter resource: what is locked, for the message (`the state file`, or a workspace for `--no-state`).
    public init(statePath: String, description: String, resource: String = "the state file") throws {
        path = statePath + ".lock"
        // Never through a link: a planted `STATE.lock` link must not make a root job truncate another file.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw StateFileError(file: path, reason: "cannot open lock file: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let holder = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingBlanks() : "unknown"
            throw StateFileError(file: statePath,
                                 reason: "\(resource) is in use by another keybatch run (\(holder.replacingNewlines())); wait for it to finish")
        }
        let note = Array("\(description), pid \(getpid()), started \(Timestamp.now().iso8601)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, note, note.count, 0)
        descriptor = fd
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        close(descriptor)
    }
}

extension String {
    func replacingNewlines() -> String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) })
    }
}
