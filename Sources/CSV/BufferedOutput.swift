#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A write buffer in front of a file descriptor, so that many small records become few
/// `write(2)` calls.
final class BufferedOutput {
    let path: String
    private let descriptor: Int32
    private var closesDescriptor: Bool
    private var buffer: UnsafeMutableRawBufferPointer
    private(set) var used = 0
    /// Shows control characters escaped (`TerminalEscaping`): for a terminal, never for a pipe or
    /// a file, where the bytes are data and stay exact.
    private let escapesControlCharacters: Bool

    /// Writes to a descriptor already open (standard output, a FIFO, a device), closing it at the
    /// end when `closesDescriptor`.
    init(descriptor: Int32, path: String, closesDescriptor: Bool, escapesControlCharacters: Bool, capacity: Int) {
        self.path = path
        self.descriptor = descriptor
        self.closesDescriptor = closesDescriptor
        self.escapesControlCharacters = escapesControlCharacters
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    init(path: String, capacity: Int) throws(CSVFileError) {
        self.path = path
        escapesControlCharacters = false
        if path == "-" {
            descriptor = STDOUT_FILENO
            closesDescriptor = false
        } else {
            // 0600: results name guests. O_NOFOLLOW: a link planted at the path (a root cron job in
            // a shared folder) is refused instead of followed to overwrite whatever it points at.
            let opened = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard opened >= 0 else {
                throw CSVFileError(path: path, reason: String(cString: strerror(errno)))
            }
            // A leftover file from a crashed run keeps its old mode through O_TRUNC: set it.
            _ = fchmod(opened, 0o600)
            descriptor = opened
            closesDescriptor = true
        }
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        if closesDescriptor { close(descriptor) }
    }

    /// Makes room for `count` more bytes, flushing (and, for a huge field, growing) as needed.
    func reserve(_ count: Int) throws(CSVFileError) {
        if buffer.count - used >= count { return }
        try flush()
        if buffer.count < count {
            buffer.deallocate()
            buffer = .allocate(byteCount: count, alignment: 16)
        }
    }

    /// Free space after the buffered bytes; call `commit(_:)` with what was written there.
    var freeSpace: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: buffer[used...])
    }

    func commit(_ count: Int) {
        used += count
    }

    /// Appends bytes (after `reserve`).
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (buffer.baseAddress! + used).copyMemory(from: source, byteCount: bytes.count)
        used += bytes.count
    }

    func append(_ byte: UInt8) {
        buffer[used] = byte
        used += 1
    }

    /// Hands the buffered bytes to the OS.
    func flush() throws(CSVFileError) {
        if escapesControlCharacters, used > 0 {
            let escaped = TerminalEscaping.escaped(UnsafeRawBufferPointer(rebasing: buffer[..<used]))
            used = 0
            try writeAll(escaped)
            return
        }
        var offset = 0
        while offset < used {
            let written = write(descriptor, buffer.baseAddress! + offset, used - offset)
            if written >= 0 {
                offset += written
            } else if errno != EINTR {
                let reason = String(cString: strerror(errno))
                // Keep what was not written, so a caller may retry.
                if offset > 0 {
                    (buffer.baseAddress!).copyMemory(from: buffer.baseAddress! + offset, byteCount: used - offset)
                    used -= offset
                }
                throw CSVFileError(path: path, reason: reason)
            }
        }
        used = 0
    }

    /// Writes all of `bytes` (no retry of a part: what a terminal shows need not be resumable).
    private func writeAll(_ bytes: [UInt8]) throws(CSVFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written >= 0 {
                offset += written
            } else if errno != EINTR {
                throw CSVFileError(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// Closes the descriptor (standard output stays open).
    func closeDescriptor() throws(CSVFileError) {
        guard closesDescriptor else { return }
        closesDescriptor = false
        if close(descriptor) != 0 {
            throw CSVFileError(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
