import Foundation

/// Where a `--no-state` run takes its lock: one per Seam endpoint and workspace on this machine.
///
/// Without a state file nothing records what a run is creating, so two runs at once against one
/// workspace can each look a reservation up, find nothing, and both create it. The lock makes the
/// second wait its turn (exit 2), as a state file's lock does. Runs on other machines, or with
/// another temporary folder, are not seen: across machines only a shared state file (or one
/// scheduler) prevents overlap.
public enum NoStateLock {
    /// The path `StateLock` locks (it appends `.lock`).
    public static func path(endpoint: String, workspaceID: String?, directory: String = NSTemporaryDirectory()) -> String {
        var hasher = FNV1a64()
        hasher.combine(endpoint.lowercased())
        hasher.combine("\u{1F}")
        hasher.combine(workspaceID ?? "")
        return URL(fileURLWithPath: directory).appendingPathComponent("keybatch-no-state-\(hasher.hexDigest)").path
    }
}
