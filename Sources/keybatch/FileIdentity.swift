#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file as the kernel knows it (device and inode), so two paths that name one file through a
/// link, `..` or a different spelling compare equal.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    let isDirectory: Bool
    /// The permission bits (`0o644`).
    let permissions: Int

    /// nil when nothing exists at `path` (then nothing can be overwritten).
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        permissions = Int(info.st_mode & 0o777)
    }

    static func == (lhs: FileIdentity, rhs: FileIdentity) -> Bool {
        lhs.device == rhs.device && lhs.inode == rhs.inode
    }
}
