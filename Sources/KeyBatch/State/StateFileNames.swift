import Foundation

/// Every file a state file comes with: SQLite's journals beside it (`-wal`, `-shm`, `-journal`)
/// and `StateLock`'s `.lock`, beside the path as given and beside the file it resolves to (SQLite
/// follows a link to the database and keeps its journals by the target; the lock is taken there).
/// An output naming one of them would be destroyed by SQLite (a `-wal` is deleted when the last
/// connection closes) or would destroy it (a replaced `.lock` lets a second run in).
public enum StateFileNames {
    public static let suffixes = ["", "-wal", "-shm", "-journal", ".lock"]

    public static func all(for statePath: String) -> [String] {
        var bases = [statePath]
        if let resolved = realpath(statePath, nil) {
            bases.append(String(cString: resolved))
            free(resolved)
        }
        var names: [String] = []
        for base in bases {
            for suffix in suffixes where !names.contains(base + suffix) { names.append(base + suffix) }
        }
        return names
    }
}
