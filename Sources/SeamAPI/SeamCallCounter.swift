import Synchronization

/// Counts the Seam traffic of one logical unit of work (e.g. one reservation row), so the caller
/// can report `http_calls` per row.
///
/// Bind it with ``current`` around the work; every HTTP attempt the client makes inside that
/// scope (including in child tasks) is counted:
/// ```swift
/// let counter = SeamCallCounter()
/// try await SeamCallCounter.$current.withValue(counter) { try await provision(row) }
/// print(counter.snapshot.httpCalls)
/// ```
public final class SeamCallCounter: Sendable {
    /// The counter of the unit of work running in this task, if any.
    @TaskLocal public static var current: SeamCallCounter?

    private let counts = Mutex(SeamCallCounts())

    public init() {}

    public var snapshot: SeamCallCounts { counts.withLock { $0 } }

    func update(_ change: (inout SeamCallCounts) -> Void) {
        counts.withLock { change(&$0) }
    }
}
