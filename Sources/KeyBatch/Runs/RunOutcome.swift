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
    /// Seam could not be reached (no connection could be made, after the retries: at the listing
    /// check, or for `RunWindow.unreachableStreakLimit` exchanges in a row; a slow answer does not
    /// count): every row would wait out its timeouts. Exit 2.
    case unreachable(message: String)
}

extension RunOutcome {
    /// Stored in the state file's run table.
    public var name: String {
        switch self {
        case .completed: "completed"
        case .interrupted: "interrupted"
        case .aborted: "aborted"
        case .unauthorized: "unauthorized"
        case .unreachable: "unreachable"
        }
    }
}

extension RunOutcome {
    /// The run stopped because no row can succeed (a 401, or Seam unreachable): rows waiting for
    /// the site's confirmation are not waited for.
    var stopsEverything: Bool {
        switch self {
        case .unauthorized, .unreachable: true
        case .completed, .interrupted, .aborted: false
        }
    }
}
