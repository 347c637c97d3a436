import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a `--no-state` run takes its lock: one per Seam endpoint and workspace (or API key, when
/// no workspace id is given: a key belongs to one workspace) for this user on this machine.
///
/// Without a state file nothing records what a run is creating, so two runs at once against one
/// workspace can each look a reservation up, find nothing, and both create it. The lock makes the
/// second wait its turn (exit 2), as a state file's lock does. It lives in a folder of this user's
/// own (`keybatch-<uid>`, mode 0700, in the temporary folder), so another user can neither block
/// nor be blocked. Runs of other users, on other machines or in another temporary folder (systemd's
/// `PrivateTmp`) are not seen: there only a shared state file (or one scheduler) prevents overlap.
public enum NoStateLock {
    /// The path `StateLock` locks (it appends `.lock`); nil when this user's folder cannot be made
    /// safely (it exists and is not this user's own folder), and the run goes on without the lock.
    public static func path(endpoint: String, workspaceID: String?, apiKey: String,
                            directory: String = NSTemporaryDirectory()) -> String? {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("keybatch-\(getuid())").path
        if mkdir(folder, 0o700) != 0 && errno != EEXIST { return nil }
        var info = stat()
        guard lstat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid(),
              info.st_mode & 0o077 == 0 else { return nil }
        // The key itself never reaches the name: only a digest of it.
        var key = SHA256()
        key.update(Array(apiKey.utf8))
        var hasher = FNV1a64()
        hasher.combine(endpoint.lowercased())
        hasher.combine("\u{1F}")
        hasher.combine(workspaceID ?? key.finalizeHex())
        return URL(fileURLWithPath: folder).appendingPathComponent("no-state-\(hasher.hexDigest)").path
    }
}
