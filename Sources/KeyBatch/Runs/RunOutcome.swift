/// How a provisioning run ended; decides the exit code.
public enum RunOutcome: Sendable, Equatable {
    /// Every row was handled (some may have failed).
    case completed
    /// SIGINT/SIGTERM: rows in flight finished, the rest are `not_started`. Exit 130.
    case interrupted
    /// `--max-failures` was exceeded. Exit 3.
    case aborted(reason: String)
    /// Seam refused the API key: no row can succeed. Exit 2.
    case unauthorized(message: String)
}

extension RunOutcome {
    /// Stored in the state file's run table.
    public var name: String {
        switch self {
        case .completed: "completed"
        case .interrupted: "interrupted"
        case .aborted: "aborted"
        case .unauthorized: "unauthorized"
        }
    }
}

extension RunOutcome {
    var isUnauthorized: Bool {
        if case .unauthorized = self { return true }
        return false
    }
}
