/// A state file that cannot be used: locked by another run, not a state file, from an older
/// keybatch, or failing to read or write. Exit code 2 when it stops a run before any row.
public struct StateFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
