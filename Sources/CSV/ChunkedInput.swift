#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file (or standard input) in fixed-size chunks into one reusable buffer, so memory
/// stays flat however large the file is. It can jump back to an earlier byte offset, either by
/// seeking (regular files) or by replaying bytes the caller kept (pipes), which is how the
/// reader recovers from a quote that is never closed.
final class ChunkedInput {
    let path: String
    /// Whether `seek(to:)` works; false for pipes and terminals.
    let isSeekable: Bool
    /// The current chunk; only the first `count` bytes are valid.
    let buffer: UnsafeMutableRawBufferPointer
    private(set) var count = 0
    /// File offset of `buffer[0]`.
    private(set) var chunkOffset = 0
    private var nextChunkOffset = 0
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private var reachedEndOfFile = false
    private var replayBytes: [UInt8] = []
    private var replayPosition = 0

    init(path: String, chunkSize: Int) throws(CSVFileError) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.path = path
        if path == "-" {
            descriptor = STDIN_FILENO
            closesDescriptor = false
        } else {
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else {
                throw CSVFileError(path: path, reason: String(cString: strerror(errno)))
            }
            descriptor = opened
            closesDescriptor = true
        }
        var status = stat()
        let fileType = fstat(descriptor, &status) == 0 ? status.st_mode & S_IFMT : 0
        if fileType == S_IFDIR {
            if closesDescriptor { close(descriptor) }
            throw CSVFileError(path: path, reason: "is a directory")
        }
        isSeekable = fileType == S_IFREG && lseek(descriptor, 0, SEEK_CUR) >= 0
        buffer = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        if closesDescriptor { close(descriptor) }
    }

    /// Replaces the chunk with the next bytes of input; false at end of input.
    func refill() throws(CSVFileError) -> Bool {
        chunkOffset = nextChunkOffset
        if replayPosition < replayBytes.count {
            let length = min(buffer.count, replayBytes.count - replayPosition)
            replayBytes.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + replayPosition, byteCount: length)
            }
            replayPosition += length
            if replayPosition == replayBytes.count {
                replayBytes = []
                replayPosition = 0
            }
            count = length
            nextChunkOffset += length
            return true
        }
        count = 0
        if reachedEndOfFile { return false }
        while true {
            let got = read(descriptor, buffer.baseAddress!, buffer.count)
            if got > 0 {
                count = got
                nextChunkOffset += got
                return true
            }
            if got == 0 {
                reachedEndOfFile = true
                return false
            }
            if errno == EINTR { continue }
            throw CSVFileError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Makes the next `refill()` start at `offset` (a regular file only).
    func seek(to offset: Int) throws(CSVFileError) {
        precondition(isSeekable, "seek on a stream that cannot seek")
        guard lseek(descriptor, off_t(offset), SEEK_SET) >= 0 else {
            throw CSVFileError(path: path, reason: String(cString: strerror(errno)))
        }
        reachedEndOfFile = false
        count = 0
        nextChunkOffset = offset
    }

    /// Makes the next `refill()` calls hand out `bytes` (which started at file offset `offset`)
    /// before anything still unread; for streams that cannot seek.
    func replay(_ bytes: [UInt8], startingAt offset: Int) {
        replayBytes = bytes
        replayPosition = 0
        count = 0
        nextChunkOffset = offset
    }
}
