import Synchronization

/// What a provisioning run has done so far: published by the run as rows finish, read by
/// whoever shows progress (the CLI's live line, the periodic log line), never the other way.
public struct RunProgress: Sendable, Equatable {
    /// Data rows in the reservations file, from a quick count (`InputOptions.countRows()`); nil
    /// until counted, or when the input cannot be counted ahead (standard input, a pipe).
    public var rowsTotal: Int?
    /// Rows whose result is written (in input order, so a slow row holds back those after it).
    public var rowsWritten = 0
    public var byStatus: [ResultStatus: Int] = [:]
    /// Rows sent to Seam and not finished yet.
    public var inFlight = 0
    /// Rows Seam accepted that wait for the Salto KS site's confirmation before their result is
    /// written.
    public var awaitingSite = 0
    /// `--instant-keys`: provisioned rows whose link is being asked for.
    public var awaitingLinks = 0
    /// `--sync`'s second pass (revoking what the file no longer lists) has begun: rows beyond
    /// the file's count are revocations.
    public var revoking = false

    public init() {}
}

/// The latest `RunProgress`, shared between the run that writes it and the display that reads
/// it on its own schedule: a lock around one small value, so neither waits on the other.
public final class RunProgressBoard: Sendable {
    private let state = Mutex(RunProgress())

    public init() {}

    public var current: RunProgress { state.withLock { $0 } }

    public func update(_ body: (inout RunProgress) -> Void) {
        state.withLock { body(&$0) }
    }
}
