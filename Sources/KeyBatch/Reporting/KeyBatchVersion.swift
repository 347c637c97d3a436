/// KeyBatch's version: `keybatch --version`, and what a run reports about itself.
///
/// Kept by hand in one place (SwiftPM has no build-time version stamp); raise it with each
/// release, together with the state file's schema version when that changes.
public enum KeyBatchVersion {
    public static let current = "0.19.0"
}
