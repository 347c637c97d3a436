import Synchronization

/// A one-way "stop taking new rows" switch, flipped by SIGINT/SIGTERM (or a test), that the
/// runner can both poll and await.
public final class StopSignal: Sendable {
    private struct State {
        var isRequested = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init() {}

    public var isRequested: Bool { state.withLock { $0.isRequested } }

    /// Tasks suspended in `wait()` right now (for tests, which wait on this instead of sleeping).
    var waiterCount: Int { state.withLock { $0.waiters.count } }

    public func request() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.isRequested else { return [] }
            state.isRequested = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once a stop is requested, or when the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.isRequested || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    /// Runs `body`, cancelling it if a stop is requested before it returns.
    ///
    /// For work the run does outside its window's task group (the listings check before the first
    /// row is sent), which the drain deadline's cancellation would not reach: a check waiting out
    /// a 100-second `Retry-After` must not hold Ctrl-C for 100 seconds.
    public func cancellingOnStop<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                await self.wait()
                return nil
            }
            var result: T?
            while result == nil, let next = await group.next() {
                if let value = next {
                    result = value
                } else if isRequested {
                    group.cancelAll()  // the stop came first: body ends early, its answer is still taken
                }
            }
            group.cancelAll()  // the watcher, when body finished first
            return result!
        }
    }
}
