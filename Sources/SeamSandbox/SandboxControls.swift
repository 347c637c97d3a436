import Foundation
import Synchronization

/// The test controls real Seam does not have: rate limits, latency, faults, counters, state dump,
/// reset and clock. Reachable in-process through this object and over HTTP under `/_sandbox/...`.
///
/// Settings apply to the next request; a request already past a check is not affected.
public final class SandboxControls: Sendable {
    /// Route key meaning "every Seam route" for latency and fault rules.
    public static let allRoutes = "*"

    private struct State {
        var defaultRateLimit: RateLimit?
        var workspaceRateLimits: [String: RateLimit] = [:]
        var buckets: [String: TokenBucket] = [:]
        var latency: [String: LatencyRule] = [:]
        var faults: [String: FaultRule] = [:]
        var counters = SandboxCounters()
        var clock: SandboxClockSetting = .system
    }

    private let state = Mutex(State())
    private let store: SandboxStore
    private let shuttingDown = Atomic<Bool>(false)
    private let monotonicOrigin = ContinuousClock.now

    init(store: SandboxStore) {
        self.store = store
    }

    // MARK: - Rate limit

    /// Limits one workspace (or, with nil, every workspace without its own limit). Pass nil as
    /// `limit` to lift it.
    public func setRateLimit(_ limit: RateLimit?, workspaceID: String? = nil) {
        state.withLock { state in
            if let workspaceID {
                state.workspaceRateLimits[workspaceID] = limit
                state.buckets[workspaceID] = nil
            } else {
                state.defaultRateLimit = limit
                state.buckets = [:]
            }
        }
    }

    /// Takes a token for `workspaceID`; nil when allowed, else seconds until the next token.
    func admit(workspaceID: String) -> Double? {
        let now = (ContinuousClock.now - monotonicOrigin) / .seconds(1)
        return state.withLock { state in
            guard let limit = state.workspaceRateLimits[workspaceID] ?? state.defaultRateLimit else { return nil }
            var bucket = state.buckets[workspaceID] ?? TokenBucket(limit: limit, now: now)
            let wait = bucket.take(now: now)
            state.buckets[workspaceID] = bucket
            return wait
        }
    }

    // MARK: - Latency

    /// Adds latency to one route (e.g. `/acs/users/create`) or, with nil, to all routes. A route
    /// rule wins over the all-routes rule. Pass nil as `rule` to remove it.
    public func setLatency(_ rule: LatencyRule?, route: String? = nil) {
        state.withLock { $0.latency[route ?? Self.allRoutes] = rule }
    }

    func latency(for route: String) -> LatencyRule? {
        state.withLock { $0.latency[route] ?? $0.latency[Self.allRoutes] }
    }

    // MARK: - Faults

    /// Injects faults on one route or, with nil, on all routes (a route rule wins). Nil removes.
    public func setFaults(_ rule: FaultRule?, route: String? = nil) {
        state.withLock { $0.faults[route ?? Self.allRoutes] = rule }
    }

    /// Draws the fault (if any) for one request and counts it.
    func drawFault(for route: String) -> (kind: FaultRule.Kind, rule: FaultRule)? {
        let random = Double.random(in: 0..<1)
        return state.withLock { state in
            guard let rule = state.faults[route] ?? state.faults[Self.allRoutes], let kind = rule.pick(random: random) else { return nil }
            state.counters.recordFault(kind)
            return (kind, rule)
        }
    }

    // MARK: - Counters

    /// A snapshot of what has been served so far.
    public func counters() -> SandboxCounters {
        state.withLock { $0.counters }
    }

    public func resetCounters() {
        state.withLock { $0.counters = SandboxCounters() }
    }

    func record(route: String, status: Int) {
        state.withLock { $0.counters.record(route: route, status: status) }
    }

    // MARK: - Clock

    public func setClock(_ setting: SandboxClockSetting) {
        state.withLock { $0.clock = setting }
    }

    /// Moves the clock forward by `seconds` from wherever it is now (keeps a fixed clock fixed).
    public func advanceClock(by seconds: TimeInterval) {
        state.withLock { state in
            switch state.clock {
            case .system: state.clock = .offset(seconds)
            case .offset(let current): state.clock = .offset(current + seconds)
            case .fixed(let date): state.clock = .fixed(date.addingTimeInterval(seconds))
            }
        }
    }

    public var clockSetting: SandboxClockSetting { state.withLock { $0.clock } }

    /// The sandbox's current time.
    public func now() -> Date {
        let setting = state.withLock { $0.clock }
        return setting.now(wallClock: Date())
    }

    // MARK: - State

    /// The whole data state of every workspace as pretty JSON.
    public func dumpState() -> Data {
        store.dump()
    }

    /// The dump parsed, for assertions in Swift.
    public func dumpStateJSON() -> JSONValue {
        JSONValue.parse(store.dump()) ?? .null
    }

    /// Puts all data back to the seed; with `includingControls`, also clears rate limits, latency,
    /// faults, counters and the clock.
    public func reset(includingControls: Bool = false) {
        if includingControls { state.withLock { $0 = State() } }
        store.reset(now: now())
    }

    // MARK: - Shutdown

    var isShuttingDown: Bool { shuttingDown.load(ordering: .relaxed) }

    func beginShutdown() {
        shuttingDown.store(true, ordering: .relaxed)
    }
}
