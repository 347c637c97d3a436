#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an output path (`--out`, `--json-summary`, `--metrics-file`) names, and so how it is
/// written. A regular file (or nothing yet) is written to `PATH.partial` and renamed over it, so no
/// reader sees half a file. Anything else is never renamed over: renaming would turn a FIFO's
/// reader's 0 bytes, or `/dev/null` (as root), into a regular file. A FIFO or a character device
/// (`/dev/null`, a terminal), or a link to one, is written through instead, as a user who names
/// one expects (`--out /dev/null` discards, `--out fifo` feeds the reader); a FIFO waits for its
/// reader at most `readerWait`. `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` are this process's
/// descriptors, written to directly whatever they are (a file the shell opened with `>>` is
/// appended to, not replaced). A block device, a socket or a folder is refused.
public enum OutputTarget: Equatable, Sendable {
    /// `-`.
    case standardOutput
    /// One of this process's open descriptors, named by a path.
    case descriptor(Int32)
    /// A FIFO or a character device (or a link to one): written through, never replaced.
    case writeThrough
    /// A regular file, or nothing yet: `.partial`, then renamed.
    case replace

    /// - Throws: `OutputFileError` for a folder, a block device, a socket, or a FIFO or device
    ///   owned by another user than this one or root (a FIFO planted in a shared folder would
    ///   hand its owner the guests' data).
    public static func of(_ path: String) throws(OutputFileError) -> OutputTarget {
        if path == "-" { return .standardOutput }
        if let descriptor = namedDescriptor(path) { return .descriptor(descriptor) }
        var info = stat()
        guard stat(path, &info) == 0 else { return .replace }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return .replace
        case S_IFIFO, S_IFCHR:
            guard info.st_uid == geteuid() || info.st_uid == 0 else {
                throw OutputFileError(file: path, reason: "is a FIFO or device owned by another user (uid \(info.st_uid)); it is not written to")
            }
            return .writeThrough
        case S_IFDIR:
            throw OutputFileError(file: path, reason: "is a folder; name a file in it")
        case S_IFBLK:
            throw OutputFileError(file: path, reason: "is a block device; name a regular file, a FIFO or a character device")
        default:
            throw OutputFileError(file: path, reason: "is a socket or another special file; name a regular file, a FIFO or a character device")
        }
    }

    /// Opens the file the target writes to: a descriptor of its own (closed by the caller) for
    /// `.descriptor` and `.writeThrough`; nil for `.standardOutput` and `.replace`.
    public static func openThrough(_ path: String, target: OutputTarget) throws(OutputFileError) -> Int32? {
        switch target {
        case .standardOutput, .replace:
            return nil
        case .descriptor(let descriptor):
            let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
            guard copy >= 0 else { throw OutputFileError(file: path, reason: "descriptor \(descriptor) is not open: \(String(cString: strerror(errno)))") }
            return copy
        case .writeThrough:
            // No O_CREAT, no O_TRUNC: what is there is written to, never made or emptied; no
            // controlling terminal taken. Non-blocking, so a FIFO nothing reads is waited on for
            // `readerWait`, not forever: a nightly job must end.
            let deadline = ContinuousClock.now + readerWait
            var opened: Int32
            var failure: Int32 = 0
            while true {
                opened = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)
                failure = errno
                guard opened < 0, failure == ENXIO, ContinuousClock.now < deadline else { break }
                usleep(50_000)
            }
            guard opened >= 0 else {
                if failure == ENXIO {
                    throw OutputFileError(file: path, reason: "is a FIFO that nothing read within \(readerWait.components.seconds) s; not written")
                }
                throw OutputFileError(file: path, reason: String(cString: strerror(failure)))
            }
            // Writes block as usual from here: the reader sets the pace.
            _ = fcntl(opened, F_SETFL, fcntl(opened, F_GETFL) & ~O_NONBLOCK)
            var info = stat()
            let kind = fstat(opened, &info) == 0 ? info.st_mode & S_IFMT : 0
            guard kind == S_IFIFO || kind == S_IFCHR else {
                close(opened)
                throw OutputFileError(file: path, reason: "changed while it was being opened; not written to")
            }
            return opened
        }
    }

    /// Renames `partial` to `path`, refusing when `path` has become something other than a
    /// regular file (or a link to one, or nothing): never rename over a FIFO or a device.
    public static func rename(_ partial: String, to path: String) throws(OutputFileError) {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            throw OutputFileError(file: path, reason: "is no longer a regular file; not replaced (what was written is in \(partial))")
        }
        guard systemRename(partial, path) == 0 else {
            throw OutputFileError(file: path, reason: "cannot rename \(partial) to \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// How long a FIFO is waited on for a reader (one started just after keybatch, as in
    /// `keybatch … --out fifo & reader fifo`) before the output is given up.
    public static let readerWait: Duration = .seconds(10)

    /// Whether `descriptor` is a terminal: what reaches one gets control characters escaped.
    public static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

    /// The descriptor a path names by convention, or nil.
    static func namedDescriptor(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return STDOUT_FILENO
        case "/dev/stderr": return STDERR_FILENO
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                let number = path.dropFirst(prefix.count)
                if !number.isEmpty, number.allSatisfy(\.isASCII), let value = Int32(number), value >= 0 { return value }
            }
            return nil
        }
    }
}

#if canImport(Glibc)
private let systemRename = Glibc.rename
#elseif canImport(Darwin)
private let systemRename = Darwin.rename
#endif
