import Synchronization

/// One round of confirmation: checks every parked row against Seam, as cheaply as the numbers
/// allow, and says what each row's verdict is now.
///
/// Rows are grouped by ACS system. A system is listed (users, keys when any row expects one, and
/// the members of each of its access groups: a guest left in a group no stay gives must be seen)
/// when that is cheaper than a get per row (the user, then its groups and key: three calls): from
/// `listThreshold` rows until a listing shows how many calls the system takes, then from as many
/// rows as a third of them. A system with few rows gets each row's user, and its groups and key
/// only once the user looks settled. A call that fails leaves its rows pending for the next round.
///
/// The calls of a round that do not depend on each other (a listing's users and keys, and its
/// group members up to `parallelCalls` at once; the rows checked one by one, `parallelCalls` at
/// once) are made together: at Seam's pace (hundreds of milliseconds a call) a round made call
/// after call would keep the rows it confirms waiting for seconds, and the run's last rows for
/// longer than they took to make. The shared rate limiter paces them like any other call. A row
/// whose own check fails stays pending without costing the others their verdicts; a refused key
/// or Seam out of reach ends the round.
public struct ConfirmationRound: Sendable {
    /// Parked rows on one system from which its first listing is tried.
    public static let listThreshold = 4
    /// Calls of one round in flight at once.
    static let parallelCalls = 8
    /// Seam's default page size for `acs/users/list` and `acs/credentials/list`.
    static let pageSize = 500

    private let operations: any SeamOperations
    /// Calls one listing of each system took (users and keys), learnt from the rounds so far.
    private let listCosts = ListCosts()

    /// Each system's access groups, listed by the run's first listing round of it: later rounds
    /// list only their members (a group made during the run is seen by the next run).
    private let systemGroups = SystemGroups()

    /// Shared by the copies of a round (one per task), so what one round learnt the next one uses.
    private final class ListCosts: Sendable {
        private let costs = Mutex<[String: Int]>([:])
        subscript(system: String) -> Int? { costs.withLock { $0[system] } }
        func record(_ cost: Int, for system: String) { costs.withLock { $0[system] = cost } }
    }

    private final class SystemGroups: Sendable {
        private let groups = Mutex<[String: Set<String>]>([:])
        subscript(system: String) -> Set<String>? { groups.withLock { $0[system] } }
        func record(_ ids: Set<String>, for system: String) { groups.withLock { $0[system] = ids } }
        func forget(_ group: String, of system: String) { _ = groups.withLock { $0[system]?.remove(group) } }
    }

    public init(operations: any SeamOperations) {
        self.operations = operations
    }

    private func listsCheaply(_ acsSystemID: String, rows: Int) -> Bool {
        guard let cost = listCosts[acsSystemID] else { return rows >= Self.listThreshold }
        return rows * 3 > cost
    }

    public struct Outcome<Key: Hashable & Sendable>: Sendable {
        public var verdicts: [Key: ConfirmationVerdict] = [:]
        /// Seam refused the API key: the run must stop (the rows stay pending).
        public var unauthorized: String?
        /// No connection to Seam could be made: the run must stop (the rows stay pending).
        public var unreachable: String?
    }

    public func check<Key: Hashable & Sendable>(_ expectations: [Key: Expectation]) async -> Outcome<Key> {
        var outcome = Outcome<Key>()
        let bySystem = Dictionary(grouping: expectations, by: { $0.value.acsSystemID })
        for (system, rows) in bySystem.sorted(by: { $0.key < $1.key }) {
            do {
                if listsCheaply(system, rows: rows.count) {
                    try await checkByListing(system, rows, into: &outcome.verdicts)
                } else {
                    try await checkEach(rows, into: &outcome.verdicts)
                }
            } catch {
                if let error = error as? SeamOperationError {
                    if error.isUnauthorized { outcome.unauthorized = error.message }
                    if error.neverReachedSeam || error.noAnswerOnAnyAttempt { outcome.unreachable = error.message }
                }
                if outcome.unauthorized != nil || outcome.unreachable != nil {
                    // No other system would fare better: the rest stay pending, unasked.
                    for (key, _) in expectations where outcome.verdicts[key] == nil {
                        outcome.verdicts[key] = .pending(reason: "could not ask Seam: \(error)")
                    }
                    return outcome
                }
                for (key, _) in rows where outcome.verdicts[key] == nil {
                    outcome.verdicts[key] = .pending(reason: "could not ask Seam: \(error)")
                }
            }
        }
        // A verdict for every row asked about: the queue frees its rows by them.
        for key in expectations.keys where outcome.verdicts[key] == nil {
            outcome.verdicts[key] = .pending(reason: "not checked")
        }
        return outcome
    }

    /// One listing of the system's users (and keys, when a row expects one) for all its rows.
    private func checkByListing<Key: Hashable & Sendable>(_ system: String, _ rows: [(key: Key, value: Expectation)],
                                                          into verdicts: inout [Key: ConfirmationVerdict]) async throws {
        let operations = operations
        let wantsKeys = rows.contains { $0.value.acsCredentialID != nil }
        // Users, keys and memberships (one call per access group of the system, not one per
        // row) at once: every group, since a membership the site kept (a refused removal rolled
        // back) or someone added opens doors no stay gives.
        async let userList = operations.acsUserStates(onACSSystem: system)
        async let keyList = wantsKeys ? operations.credentialStates(onACSSystem: system) : []
        // The expected groups' members are asked for at once; the system's other groups once the
        // run knows them (its first listing round of the system asks, in parallel).
        let expected = Set(rows.flatMap { $0.value.accessGroupIDs })
        let known = systemGroups[system]
        async let listed = known == nil ? operations.accessGroupIDs(onACSSystem: system) : []
        var members: [String: Set<String>] = [:]
        let systemGroups = systemGroups
        /// A group deleted since it was listed has no members: the run stops asking for it.
        func record(_ results: [String: Result<Set<String>, any Error>]) throws {
            for (group, result) in results {
                do {
                    members[group] = try result.get()
                } catch let error as SeamOperationError where error.isNotFound {
                    members[group] = []
                    systemGroups.forget(group, of: system)
                }
            }
        }
        try record(await Self.inParallel(expected.union(known ?? []).sorted(), { try await operations.acsUserIDs(inAccessGroup: $0) }))
        if known == nil {
            let all = try await listed
            systemGroups.record(all, for: system)
            try record(await Self.inParallel(all.subtracting(expected).sorted(), { try await operations.acsUserIDs(inAccessGroup: $0) }))
        }
        let users = Dictionary(try await userList.map { ($0.acsUserID, $0) }, uniquingKeysWith: { first, _ in first })
        let keys = Dictionary(try await keyList.map { ($0.acsCredentialID, $0) }, uniquingKeysWith: { first, _ in first })
        let pages = { (count: Int) in max(1, (count + Self.pageSize - 1) / Self.pageSize) }
        listCosts.record(pages(users.count) + (wantsKeys ? pages(keys.count) : 0) + members.count, for: system)
        var unproven: [(key: Key, value: Expectation)] = []
        for (key, expectation) in rows {
            let user = users[expectation.acsUserID]
            let credential = expectation.acsCredentialID.flatMap { keys[$0] }
            let groups = Set(members.filter { $0.value.contains(expectation.acsUserID) }.keys)
            let missingKey = expectation.acsCredentialID != nil && credential == nil
            let groupsDiffer = expectation.acsCredentialID != nil && groups != expectation.accessGroupIDs
            if user == nil || ((missingKey || groupsDiffer) && user?.isSettled == true) {
                // Absence in a listing is not proof (a page boundary moving under concurrent
                // deletions, a lagging index), nor is a listing taken while memberships changed:
                // only the user's own get says it is gone or where it stands.
                unproven.append((key, expectation))
            } else {
                verdicts[key] = ConfirmationJudge.judge(expectation, user: user, credential: credential, groups: groups)
            }
        }
        try await checkEach(unproven, into: &verdicts)
    }

    /// Each row on its own (its user, then its groups and key), several rows at once. A row whose
    /// call failed stays pending; a refused key or Seam out of reach is thrown once every row
    /// that got an answer has its verdict.
    private func checkEach<Key: Hashable & Sendable>(_ rows: [(key: Key, value: Expectation)], into verdicts: inout [Key: ConfirmationVerdict]) async throws {
        let round = self
        let checked = await Self.inParallel(rows.map(\.value)) { try await round.checkOne($0) }
        var fatal: (any Error)?
        for (key, expectation) in rows {
            switch checked[expectation] {
            case .success(let verdict)?:
                verdicts[key] = verdict
            case .failure(let error)?:
                if let error = error as? SeamOperationError, error.isUnauthorized || error.neverReachedSeam || error.noAnswerOnAnyAttempt {
                    fatal = fatal ?? error
                } else {
                    verdicts[key] = .pending(reason: "could not ask Seam: \(error)")
                }
            case nil:
                verdicts[key] = .pending(reason: "not checked")
            }
        }
        if let fatal { throw fatal }
    }

    /// `body` applied to every distinct item, at most `parallelCalls` at once, each result kept.
    private static func inParallel<Item: Hashable & Sendable, Value: Sendable>(
        _ items: [Item], _ body: @escaping @Sendable (Item) async throws -> Value
    ) async -> [Item: Result<Value, any Error>] {
        await withTaskGroup(of: (Item, Result<Value, any Error>).self) { group in
            var results: [Item: Result<Value, any Error>] = [:]
            var seen = Set<Item>()
            var pending = items.filter { seen.insert($0).inserted }[...]
            var running = 0
            while true {
                while running < parallelCalls, let item = pending.popFirst() {
                    group.addTask {
                        do {
                            return (item, .success(try await body(item)))
                        } catch {
                            return (item, .failure(error))
                        }
                    }
                    running += 1
                }
                guard let (item, result) = await group.next() else { return results }
                running -= 1
                results[item] = result
            }
        }
    }

    private func checkOne(_ expectation: Expectation) async throws -> ConfirmationVerdict {
        let user = try await operations.acsUserState(acsUserID: expectation.acsUserID)
        guard let credentialID = expectation.acsCredentialID, let user, user.isSettled else {
            // The user alone decides: gone, refused or still pending (and a revocation never needs the key).
            return ConfirmationJudge.judge(expectation, user: user, credential: nil)
        }
        // Both at once: in the run's tail these reads are what the last rows wait on, and one
        // after the other they added a whole answer time to the run.
        async let groups = operations.accessGroupIDs(ofACSUser: expectation.acsUserID)
        async let credential = operations.credentialState(acsCredentialID: credentialID)
        return ConfirmationJudge.judge(expectation, user: user, credential: try await credential, groups: try await groups)
    }
}

