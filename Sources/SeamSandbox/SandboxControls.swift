import Foundation
import Synchronization

/// The test controls real Seam does not have: rate limits, latency, faults, counters, state dump,
/// reset and clock; the site's asynchrony (`ProviderBehavior`: sync and deletion delays, refusals),
/// ACS system errors and subscription slots, the largest page, and what staff do in Seam's console
/// (`console`). Reachable in-process through this object and over HTTP under `/_sandbox/...`
/// (`SandboxAdminAPI`, and `Conformance/README.md` for the routes and their JSON).
///
/// Settings apply to the next request; a request already past a check is not affected. Every
/// setting here is off by default, so a fresh sandbox is synchronous and its site never refuses;
/// the one rule on by default is Seam's documented one ACS user per user identity and system
/// (`IdentityLinkRule.refuse`, see `setIdentityLinkRule`).
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
        var defaultProviderBehavior: ProviderBehavior = .synchronous
        var workspaceProviderBehaviors: [String: ProviderBehavior] = [:]
        var maxPageSize: Int?
        var defaultIdentityLinkRule: IdentityLinkRule = .default
        var workspaceIdentityLinkRules: [String: IdentityLinkRule] = [:]
    }

    /// Largest value `setSubscriptionSlots` and `setMaxPageSize` take.
    public static let maximumSubscriptionSlots = 1_000_000
    public static let maximumPageSize = 1_000_000

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

    // MARK: - Provider behaviour (asynchrony and refusals)

    /// Sets how the site behind Seam takes changes for one workspace (or, with nil, for every
    /// workspace without its own setting). Pass nil as `behavior` to go back to the default
    /// (for a workspace: whatever the all-workspaces setting is; for all: `.synchronous`).
    /// Delays are clamped into `0...ProviderBehavior.maximumDelay`.
    ///
    /// Applies to changes Seam accepts from now on; changes already pending keep their due time
    /// and outcome.
    public func setProviderBehavior(_ behavior: ProviderBehavior?, workspaceID: String? = nil) {
        state.withLock { state in
            if let workspaceID {
                state.workspaceProviderBehaviors[workspaceID] = behavior?.sanitized
            } else {
                state.defaultProviderBehavior = behavior?.sanitized ?? .synchronous
            }
        }
    }

    /// The behaviour in force for `workspaceID`; with nil, the all-workspaces setting.
    public func providerBehavior(workspaceID: String? = nil) -> ProviderBehavior {
        state.withLock { state in
            workspaceID.flatMap { state.workspaceProviderBehaviors[$0] } ?? state.defaultProviderBehavior
        }
    }

    // MARK: - One ACS user per user identity and system

    /// Sets what `acs/users/create` does with a second ACS user for a user identity on one ACS
    /// system (see `IdentityLinkRule`), for one workspace or, with nil, for every workspace without
    /// its own setting. Pass nil as `rule` to go back to the default (for a workspace: the
    /// all-workspaces setting; for all: `IdentityLinkRule.default`, which refuses).
    ///
    /// Applies to creates from now on; users already created stay as they are.
    public func setIdentityLinkRule(_ rule: IdentityLinkRule?, workspaceID: String? = nil) {
        state.withLock { state in
            if let workspaceID {
                state.workspaceIdentityLinkRules[workspaceID] = rule
            } else {
                state.defaultIdentityLinkRule = rule ?? .default
            }
        }
    }

    /// The rule in force for `workspaceID`; with nil, the all-workspaces setting.
    public func identityLinkRule(workspaceID: String? = nil) -> IdentityLinkRule {
        state.withLock { state in
            workspaceID.flatMap { state.workspaceIdentityLinkRules[$0] } ?? state.defaultIdentityLinkRule
        }
    }

    // MARK: - Page size

    /// Caps every paginated list at `size` items per page, whatever `limit` asks (so a test can
    /// force several pages with a few objects); nil lifts the cap. Clamped into `1...maximumPageSize`.
    public func setMaxPageSize(_ size: Int?) {
        state.withLock { $0.maxPageSize = size.map { min(max($0, 1), Self.maximumPageSize) } }
    }

    public var maxPageSize: Int? { state.withLock { $0.maxPageSize } }

    // MARK: - ACS systems

    /// Gives a Salto KS site `slots` subscription slots (nil: unlimited, the default). Above 80%
    /// occupancy the system warns `salto_ks_subscription_limit_almost_reached`; an ACS user whose
    /// creation settles on a full site gets `salto_ks_subscription_limit_exceeded`, and so does the
    /// system while such a user exists. Part of the site's data: `reset()` restores the seed's value.
    ///
    /// - Throws: `acs_system_not_found`, or `invalid_input` for slots outside `0...maximumSubscriptionSlots`.
    public func setSubscriptionSlots(_ slots: Int?, acsSystemID: String) throws(SandboxErrorReply) {
        try updateACSSystem(acsSystemID, slots: slots.map(FieldPresence.value) ?? .null, errors: nil, warnings: nil, refusesInstantKeys: nil)
    }

    /// Makes a site refuse instant keys: `user_identities/generate_instant_key` for an identity
    /// with an ACS user on it answers `400 instant_keys_not_supported`. Seam documents no error
    /// for this endpoint beyond 400 and 401, so the type is the sandbox's own; KeyBatch treats any
    /// refusal alike. Part of the site's data: `reset()` clears it.
    ///
    /// - Throws: `acs_system_not_found`.
    public func setInstantKeysRefused(_ refused: Bool, acsSystemID: String) throws(SandboxErrorReply) {
        try updateACSSystem(acsSystemID, slots: .absent, errors: nil, warnings: nil, refusesInstantKeys: refused)
    }

    /// Puts an ACS system into exactly these `errors` and `warnings` (on top of the ones slot usage
    /// produces); empty sets clear them. A code already set keeps its `created_at`. Part of the
    /// site's data: `reset()` clears them.
    ///
    /// - Throws: `acs_system_not_found`.
    public func setACSSystemConditions(errors: Set<ACSSystemErrorCode>, warnings: Set<ACSSystemWarningCode>, acsSystemID: String) throws(SandboxErrorReply) {
        try updateACSSystem(acsSystemID, slots: .absent, errors: errors, warnings: warnings, refusesInstantKeys: nil)
    }

    /// Changes what is given of a site's slots (`.null`: unlimited) and injected conditions (nil:
    /// unchanged), after settling what is due under the old values.
    func updateACSSystem(_ id: String, slots: FieldPresence<Int>, errors: Set<ACSSystemErrorCode>?, warnings: Set<ACSSystemWarningCode>?,
                         refusesInstantKeys: Bool?) throws(SandboxErrorReply) {
        if let value = slots.value, !(0...Self.maximumSubscriptionSlots).contains(value) {
            throw SandboxErrorReply.invalidInput(field: "subscription_slots", "Number must be between 0 and \(Self.maximumSubscriptionSlots)")
        }
        let now = now()
        let found = try store.withWorkspace(holding: { $0.acsSystems[id] != nil }) { (workspace: inout WorkspaceData) throws(SandboxErrorReply) -> Bool in
            workspace.settleProviderSync(upTo: now)
            var system = workspace.acsSystems[id]!
            if !slots.isAbsent { system.subscriptionSlots = slots.value }
            if let errors {
                system.injectedErrors = Dictionary(uniqueKeysWithValues: errors.map { ($0.rawValue, system.injectedErrors[$0.rawValue] ?? now) })
            }
            if let warnings {
                system.injectedWarnings = Dictionary(uniqueKeysWithValues: warnings.map { ($0.rawValue, system.injectedWarnings[$0.rawValue] ?? now) })
            }
            if let refusesInstantKeys { system.refusesInstantKeys = refusesInstantKeys }
            workspace.acsSystems[id] = system
            return true
        }
        guard found != nil else { throw SandboxErrorReply.notFound("acs_system", id: id) }
    }

    // MARK: - Console

    /// What Seam's staff (or the customer, in Seam's console) do behind the client's back: each
    /// change is immediate and is not a request by any workspace's API key.
    public var console: SandboxConsole {
        SandboxConsole(store: store, clock: { [self] in now() })
    }

    // MARK: - Clock

    public func setClock(_ setting: SandboxClockSetting) {
        state.withLock { $0.clock = setting }
    }

    /// Moves the clock forward by `seconds` from wherever it is now (keeps a fixed clock fixed).
    public func advanceClock(by seconds: TimeInterval) {
        state.withLock { $0.clock = $0.clock.advanced(by: seconds) }
    }

    public var clockSetting: SandboxClockSetting { state.withLock { $0.clock } }

    /// The sandbox's current time.
    public func now() -> Date {
        let setting = state.withLock { $0.clock }
        return setting.now(wallClock: Date())
    }

    // MARK: - State

    /// The whole data state of every workspace as pretty JSON, with what is due by the sandbox
    /// clock settled first (pending mutations, errors, sync times are part of it).
    public func dumpState() -> Data {
        store.settleAll(upTo: now())
        return store.dump()
    }

    /// The dump parsed, for assertions in Swift.
    public func dumpStateJSON() -> JSONValue {
        JSONValue.parse(dumpState()) ?? .null
    }

    /// Puts all data back to the seed (which also drops pending mutations, ACS system conditions
    /// and slot changes); with `includingControls`, also clears rate limits, latency, faults,
    /// counters, the clock, provider behaviours, the page-size cap and identity link rules (back to
    /// `IdentityLinkRule.default`).
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
