import Synchronization

/// Run-wide counters of Seam traffic, safe to update from every task.
/// Share one instance between the clients of a run and read ``snapshot`` for the summary.
public final class SeamClientStats: Sendable {
    private let counts = Mutex(SeamCallCounts())

    public init() {}

    public var snapshot: SeamCallCounts { counts.withLock { $0 } }

    func update(_ change: (inout SeamCallCounts) -> Void) {
        counts.withLock { change(&$0) }
    }
}
