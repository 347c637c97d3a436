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
    /// A character device (`/dev/null`, a terminal): the one kind two outputs may share.
    let isCharacterDevice: Bool
    /// The permission bits (`0o644`).
    let permissions: Int

    /// nil when nothing exists at `path` (then nothing can be overwritten).
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        isCharacterDevice = (info.st_mode & S_IFMT) == S_IFCHR
        permissions = Int(info.st_mode & 0o777)
    }

    static func == (lhs: FileIdentity, rhs: FileIdentity) -> Bool {
        lhs.device == rhs.device && lhs.inode == rhs.inode
    }

    /// Whether two paths name one file: by device and inode when both exist, else by where they
    /// lead (the folder resolved, then the name), so a file not made yet (a state's `-wal`, its
    /// `.lock`) is still recognised under another spelling of its folder.
    static func same(_ first: String, _ second: String) -> Bool {
        switch (FileIdentity(path: first), FileIdentity(path: second)) {
        case let (one?, other?): return one == other
        case (nil, nil): return location(first) == location(second)
        default: return false
        }
    }

    /// Where `path` leads: resolved when it exists, else its folder resolved and its name.
    private static func location(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(folder, nil) else { return path }
        defer { free(resolved) }
        let base = String(cString: resolved)
        return (base.hasSuffix("/") ? base : base + "/") + name
    }
}
