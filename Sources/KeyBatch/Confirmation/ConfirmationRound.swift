import Synchronization

/// One round of confirmation: checks every parked row against Seam, as cheaply as the numbers
/// allow, and says what each row's verdict is now.
///
/// Rows are grouped by ACS system. A system is listed (users, and keys when any row expects one)
/// when that is cheaper than a get per row (the user, then its key: two calls): from
/// `listThreshold` rows until a listing shows how many pages the system takes, then from as many
/// rows as half its pages. A system with few rows gets each row's user, and its key only once the
/// user looks settled. A call that fails leaves its rows pending for the next round.
public struct ConfirmationRound: Sendable {
    /// Parked rows on one system from which its first listing is tried.
    public static let listThreshold = 4
    /// Seam's default page size for `acs/users/list` and `acs/credentials/list`.
    static let pageSize = 500

    private let operations: any SeamOperations
    /// Calls one listing of each system took (users and keys), learnt from the rounds so far.
    private let listCosts = ListCosts()

    /// Shared by the copies of a round (one per task), so what one round learnt the next one uses.
    private final class ListCosts: Sendable {
        private let costs = Mutex<[String: Int]>([:])
        subscript(system: String) -> Int? { costs.withLock { $0[system] } }
        func record(_ cost: Int, for system: String) { costs.withLock { $0[system] = cost } }
    }

    public init(operations: any SeamOperations) {
        self.operations = operations
    }

    private func listsCheaply(_ acsSystemID: String, rows: Int) -> Bool {
        guard let cost = listCosts[acsSystemID] else { return rows >= Self.listThreshold }
        return rows * 2 > cost
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
                    for (key, expectation) in rows {
                        outcome.verdicts[key] = try await checkOne(expectation)
                    }
                }
            } catch {
                if let error = error as? SeamOperationError {
                    if error.isUnauthorized { outcome.unauthorized = error.message }
                    if error.neverReachedSeam { outcome.unreachable = error.message }
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
        return outcome
    }

    /// One listing of the system's users (and keys, when a row expects one) for all its rows.
    private func checkByListing<Key: Hashable & Sendable>(_ system: String, _ rows: [(key: Key, value: Expectation)],
                                                          into verdicts: inout [Key: ConfirmationVerdict]) async throws {
        let users = Dictionary(try await operations.acsUserStates(onACSSystem: system).map { ($0.acsUserID, $0) }, uniquingKeysWith: { first, _ in first })
        let wantsKeys = rows.contains { $0.value.acsCredentialID != nil }
        let keys = wantsKeys
            ? Dictionary(try await operations.credentialStates(onACSSystem: system).map { ($0.acsCredentialID, $0) }, uniquingKeysWith: { first, _ in first })
            : [:]
        // Memberships: one call per access group the rows expect, not one per row.
        var members: [String: Set<String>] = [:]
        for group in Set(rows.flatMap { $0.value.accessGroupIDs }).sorted() {
            members[group] = try await operations.acsUserIDs(inAccessGroup: group)
        }
        let pages = { (count: Int) in max(1, (count + Self.pageSize - 1) / Self.pageSize) }
        listCosts.record(pages(users.count) + (wantsKeys ? pages(keys.count) : 0) + members.count, for: system)
        for (key, expectation) in rows {
            let user = users[expectation.acsUserID]
            let credential = expectation.acsCredentialID.flatMap { keys[$0] }
            let groups = Set(expectation.accessGroupIDs.filter { members[$0]?.contains(expectation.acsUserID) == true })
            let missingKey = expectation.acsCredentialID != nil && credential == nil
            let missingGroup = !expectation.accessGroupIDs.isSubset(of: groups)
            if user == nil || ((missingKey || missingGroup) && user?.isSettled == true) {
                // Absence in a listing is not proof (a page boundary moving under concurrent
                // deletions, a lagging index): only a get says it is gone.
                verdicts[key] = try await checkOne(expectation)
            } else {
                verdicts[key] = ConfirmationJudge.judge(expectation, user: user, credential: credential, groups: groups)
            }
        }
    }

    private func checkOne(_ expectation: Expectation) async throws -> ConfirmationVerdict {
        let user = try await operations.acsUserState(acsUserID: expectation.acsUserID)
        guard let credentialID = expectation.acsCredentialID, let user, user.isSettled else {
            // The user alone decides: gone, refused or still pending (and a revocation never needs the key).
            return ConfirmationJudge.judge(expectation, user: user, credential: nil)
        }
        let groups = expectation.accessGroupIDs.isEmpty ? nil : try await operations.accessGroupIDs(ofACSUser: expectation.acsUserID)
        let credential = try await operations.credentialState(acsCredentialID: credentialID)
        return ConfirmationJudge.judge(expectation, user: user, credential: credential, groups: groups)
    }
}

