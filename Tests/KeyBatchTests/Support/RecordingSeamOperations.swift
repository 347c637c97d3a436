import Synchronization
@testable import KeyBatch

/// An in-memory Seam behind the `SeamOperations` seam, for checking the planner's and the
/// provisioner's rules without a server: it keeps identities, ACS users, memberships and mobile
/// keys, records every call in order, and fails or hangs chosen operations on request.
final class RecordingSeamOperations: SeamOperations {
    enum Call: String, Sendable, Hashable {
        case findUserIdentity, createUserIdentity, listUserIdentities
        case findACSUsers, createACSUser, updateSchedule, deleteACSUser
        case accessGroupsOfUser, addToAccessGroup, removeFromAccessGroup
        case findMobileKey, createMobileKey, deleteCredential
        case acsSystem, accessGroupsOnSystem
        case acsUserState, credentialState, acsUserStates, credentialStates, acsUsersInGroup
        case generateInstantKey
    }

    struct User: Sendable, Equatable {
        var acsUserID: String
        var acsSystemID: String
        var userIdentityID: String
        var fullName: String
        var schedule: AccessSchedule
        var groups: Set<String> = []
        /// Creation order, as Seam's `created_at` (compared as text).
        var createdAt = ""
        /// Seam's `errors` on the user (a site's refusals).
        var errors: [SeamIssue] = []
    }

    private struct State {
        var systems: [String: Set<String>]
        var systemTypes: [String: String] = [:]
        var identities: [String: String] = [:]  // email → id
        var users: [String: User] = [:]
        var keys: [String: String] = [:]  // credential id → ACS user id
        var calls: [Call] = []
        var failures: [Call: (error: SeamOperationError, remaining: Int)] = [:]
        var hanging: Set<Call> = []
        var nextID = 0

        mutating func makeID(_ prefix: String) -> String {
            nextID += 1
            return "\(prefix)-\(nextID)"
        }
    }

    private let state: Mutex<State>
    /// Runs at every instant-key call (a test's way to break something mid-run).
    let onInstantKey = Mutex<(@Sendable () -> Void)?>(nil)

    /// `systems`: ACS system id → its access group ids.
    init(systems: [String: Set<String>]) {
        state = Mutex(State(systems: systems))
    }

    /// The systems and groups of the samples' listings file.
    convenience init(catalog: ListingCatalog) {
        var systems: [String: Set<String>] = [:]
        for listing in catalog.listings.values { systems[listing.acsSystemID, default: []].formUnion(listing.accessGroupIDs) }
        self.init(systems: systems)
    }

    // MARK: For tests

    var calls: [Call] { state.withLock { $0.calls } }
    var users: [User] { state.withLock { Array($0.users.values) } }

    /// Gives a user an error, as a site's refusal leaves it.
    func addError(_ issue: SeamIssue, toACSUser acsUserID: String) {
        state.withLock { $0.users[acsUserID]?.errors.append(issue) }
    }
    var credentialCount: Int { state.withLock { $0.keys.count } }
    var identityCount: Int { state.withLock { $0.identities.count } }

    func resetCalls() { state.withLock { $0.calls = [] } }

    /// The next `times` calls of `call` fail with `error`.
    func fail(_ call: Call, with error: SeamOperationError, times: Int = .max) {
        state.withLock { $0.failures[call] = (error, times) }
    }

    /// Calls of `call` never answer (until their task is cancelled), like a Seam holding an answer.
    func hang(_ call: Call) {
        _ = state.withLock { $0.hanging.insert(call) }
    }

    /// Makes a system another kind of access system than a Salto KS site.
    func setType(_ externalType: String, ofSystem acsSystemID: String) {
        state.withLock { $0.systemTypes[acsSystemID] = externalType }
    }

    /// Deletes an ACS user and its keys as staff would in Seam's console.
    func deleteBehindTheBack(acsUserID: String) {
        state.withLock { state in
            state.users[acsUserID] = nil
            state.keys = state.keys.filter { $0.value != acsUserID }
        }
    }

    /// Puts an ACS user in Seam behind the tool's back (an earlier script, a lost state file).
    @discardableResult
    func seedUser(email: String, acsSystemID: String, fullName: String, schedule: AccessSchedule, groups: Set<String>, withKey: Bool) -> User {
        state.withLock { state in
            let identity = state.identities[email] ?? state.makeID("identity")
            state.identities[email] = identity
            let id = state.makeID("user")
            let user = User(acsUserID: id, acsSystemID: acsSystemID, userIdentityID: identity, fullName: fullName,
                            schedule: schedule, groups: groups, createdAt: String(format: "%08d", state.nextID))
            state.users[user.acsUserID] = user
            if withKey { state.keys[state.makeID("key")] = user.acsUserID }
            return user
        }
    }

    // MARK: SeamOperations

    /// Records the call, then fails, hangs or runs `body` on the state.
    private func answer<T: Sendable>(_ call: Call, _ body: @Sendable (inout State) throws -> T) async throws -> T {
        Self.counter?.count.withLock { $0 += 1 }
        let (failure, hangs) = state.withLock { state -> (SeamOperationError?, Bool) in
            state.calls.append(call)
            if let planned = state.failures[call], planned.remaining > 0 {
                state.failures[call] = (planned.error, planned.remaining - 1)
                return (planned.error, false)
            }
            return (nil, state.hanging.contains(call))
        }
        if let failure { throw failure }
        if hangs { try await Task.sleep(for: .seconds(3600)) }
        return try state.withLock { try body(&$0) }
    }

    func findUserIdentity(email: String) async throws -> String? {
        try await answer(.findUserIdentity) { $0.identities[email] }
    }

    func createUserIdentity(email: String, fullName: String?, phoneNumber: String?) async throws -> (id: String, created: Bool) {
        try await answer(.createUserIdentity) { state in
            if let existing = state.identities[email] { return (existing, false) }
            let id = state.makeID("identity")
            state.identities[email] = id
            return (id, true)
        }
    }

    func userIdentityIDsByEmail() async throws -> [String: String] {
        try await answer(.listUserIdentities) { $0.identities }
    }

    func findACSUsers(acsSystemID: String, userIdentityID: String) async throws -> [ACSUserState] {
        try await answer(.findACSUsers) { state in
            state.users.values.filter { $0.acsSystemID == acsSystemID && $0.userIdentityID == userIdentityID }
                .sorted { $0.createdAt < $1.createdAt }.map(Self.state(of:))
        }
    }

    func createACSUser(acsSystemID: String, userIdentityID: String, fullName: String, schedule: AccessSchedule,
                       accessGroupIDs: [String]) async throws -> ACSUserState {
        try await answer(.createACSUser) { state in
            let id = state.makeID("user")
            let user = User(acsUserID: id, acsSystemID: acsSystemID, userIdentityID: userIdentityID, fullName: fullName, schedule: schedule,
                            groups: Set(accessGroupIDs), createdAt: String(format: "%08d", state.nextID))
            state.users[user.acsUserID] = user
            return Self.state(of: user)
        }
    }

    func updateSchedule(acsUserID: String, schedule: AccessSchedule) async throws {
        try await answer(.updateSchedule) { state in
            guard state.users[acsUserID] != nil else { throw Self.notFound(acsUserID) }
            state.users[acsUserID]?.schedule = schedule
        }
    }

    func deleteACSUser(acsUserID: String) async throws {
        try await answer(.deleteACSUser) { state in
            state.users[acsUserID] = nil
            state.keys = state.keys.filter { $0.value != acsUserID }
        }
    }

    func accessGroupIDs(ofACSUser acsUserID: String) async throws -> Set<String> {
        try await answer(.accessGroupsOfUser) { state in
            guard let user = state.users[acsUserID] else { throw Self.notFound(acsUserID) }
            return user.groups
        }
    }

    func addToAccessGroup(acsUserID: String, accessGroupID: String) async throws {
        try await answer(.addToAccessGroup) { state in
            guard state.users[acsUserID] != nil else { throw Self.notFound(acsUserID) }
            state.users[acsUserID]?.groups.insert(accessGroupID)
        }
    }

    static func notFound(_ acsUserID: String) -> SeamOperationError {
        SeamOperationError(code: SeamCode("acs_user_not_found"), message: "ACS user \(acsUserID) not found")
    }

    func removeFromAccessGroup(acsUserID: String, accessGroupID: String) async throws {
        try await answer(.removeFromAccessGroup) { _ = $0.users[acsUserID]?.groups.remove(accessGroupID) }
    }

    func findMobileKey(acsUserID: String) async throws -> String? {
        try await answer(.findMobileKey) { state in state.keys.first { $0.value == acsUserID }?.key }
    }

    func createMobileKey(acsUserID: String) async throws -> String {
        try await answer(.createMobileKey) { state in
            let id = state.makeID("key")
            state.keys[id] = acsUserID
            return id
        }
    }

    func generateInstantKey(userIdentityID: String) async throws -> InstantKeyLink {
        onInstantKey.withLock { $0 }?()
        return try await answer(.generateInstantKey) { state in
            InstantKeyLink(url: "https://ik.example/\(state.makeID("ik"))", expiresAt: nil)
        }
    }

    func deleteCredential(acsCredentialID: String) async throws {
        try await answer(.deleteCredential) { $0.keys[acsCredentialID] = nil }
    }

    func acsSystem(_ acsSystemID: String) async throws -> ACSSystemState? {
        try await answer(.acsSystem) { state in
            state.systems[acsSystemID] == nil
                ? nil
                : ACSSystemState(acsSystemID: acsSystemID, externalType: state.systemTypes[acsSystemID] ?? ACSSystemState.saltoKSSite)
        }
    }

    func accessGroupIDs(onACSSystem acsSystemID: String) async throws -> Set<String> {
        try await answer(.accessGroupsOnSystem) { $0.systems[acsSystemID] ?? [] }
    }

    func acsUserIDs(inAccessGroup accessGroupID: String) async throws -> Set<String> {
        try await answer(.acsUsersInGroup) { Set($0.users.values.filter { $0.groups.contains(accessGroupID) }.map(\.acsUserID)) }
    }

    func acsUserState(acsUserID: String) async throws -> ACSUserState? {
        try await answer(.acsUserState) { $0.users[acsUserID].map(Self.state(of:)) }
    }

    func credentialState(acsCredentialID: String) async throws -> CredentialState? {
        try await answer(.credentialState) { state in
            state.keys[acsCredentialID].map { CredentialState(acsCredentialID: acsCredentialID, acsUserID: $0, isSynced: true) }
        }
    }

    func acsUserStates(onACSSystem acsSystemID: String) async throws -> [ACSUserState] {
        try await answer(.acsUserStates) { state in state.users.values.filter { $0.acsSystemID == acsSystemID }.map(Self.state(of:)) }
    }

    func credentialStates(onACSSystem acsSystemID: String) async throws -> [CredentialState] {
        try await answer(.credentialStates) { state in
            state.keys.filter { state.users[$0.value]?.acsSystemID == acsSystemID }
                .map { CredentialState(acsCredentialID: $0.key, acsUserID: $0.value, isSynced: true) }
        }
    }

    /// This fake's site applies everything at once: no pending mutation, every key issued.
    private static func state(of user: User) -> ACSUserState {
        var state = ACSUserState(acsUserID: user.acsUserID, acsSystemID: user.acsSystemID, fullName: user.fullName,
                                 userIdentityID: user.userIdentityID, schedule: user.schedule, createdAt: user.createdAt)
        state.errors = user.errors
        return state
    }

    func measuringCalls<T: Sendable>(_ body: () async -> T) async -> (result: T, calls: Int) {
        let counter = CallCounter()
        let result = await Self.$counter.withValue(counter) { await body() }
        return (result, counter.count.withLock { $0 })
    }

    /// The calls of one row, wherever its tasks run (a task-local, as `SeamOperationsClient` does).
    final class CallCounter: Sendable {
        let count = Mutex(0)
    }

    @TaskLocal static var counter: CallCounter?
}
