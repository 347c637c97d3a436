#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rule for the mode of a file KeyBatch replaces (results, plans, exports, reports): a regular
/// file of ours that already exists keeps the mode we gave it (e.g. 0640 for a group that reads
/// the night's results); another user's file, or a link, lends nothing.
enum KeptFileMode {
    /// The mode to keep for `path`, or nil when the new file takes its own default.
    static func of(_ path: String) -> mode_t? {
        var existing = stat()
        guard lstat(path, &existing) == 0, existing.st_mode & S_IFMT == S_IFREG, existing.st_uid == geteuid() else { return nil }
        return existing.st_mode & 0o777
    }
}
