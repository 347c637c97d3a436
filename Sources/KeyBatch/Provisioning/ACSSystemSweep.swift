/// Answers the natural-key lookups of a bulk run (which ACS users are this guest's on the site,
/// which key is that user's, which groups an adopted user is in) from one paginated sweep per ACS system, instead of a list call per row.
///
/// Every reservation the state has no id for is looked up before anything is made (Seam is the
/// truth). One at a time that is a list call per row; on a first run over thousands of existing
/// guests that doubles the run. So once `threshold` rows of one ACS system have asked, the
/// system's users and keys are listed once (all pages) and the rest are answered from that index.
///
/// The index only ever says yes: a user or key found in it is adopted, but one it lacks is asked of
/// Seam directly before anything is made or a revocation concludes there is nothing to delete (a
/// listing taken while the run creates and deletes is no proof of absence, and the run may have
/// made the resource after the sweep). So the sweep saves calls where rows adopt what exists (a
/// new or lost state file) and costs a few pages where they do not. Only these lookups go through
/// it: the client's lookup-before-retry after an ambiguous create still asks Seam. What the run
/// deletes (or finds stale) is forgotten at once, so it is never adopted back from the index.
public actor ACSSystemSweep {
    /// Lookups on one system answered one by one before the system is swept.
    public static let threshold = 8

    private struct Index: Sendable {
        /// By `user_identity_id`: the guest's users on the system.
        var users: [String: [ACSUserState]] = [:]
        var keys: [String: String] = [:]
        /// By ACS user id: its key as the sweep saw it (issued or not).
        var keyStates: [String: CredentialState] = [:]
        var userIDs: Set<String> = []
        var usersByID: [String: ACSUserState] = [:]
        /// By ACS user id: the access groups the user was in (from one `list_users` per group).
        var groups: [String: Set<String>] = [:]
    }

    private let operations: any SeamOperations
    private let threshold: Int
    private var asked: [String: Int] = [:]
    private var sweeps: [String: Task<Index, any Error>] = [:]
    private var deleted: Set<String> = []
    /// Lookups the run's plan expects per system: a system expecting `threshold` or more is swept
    /// at its first lookup instead of after `threshold` of them.
    private var expected: [String: Int] = [:]

    public init(operations: any SeamOperations, threshold: Int = ACSSystemSweep.threshold) {
        self.operations = operations
        self.threshold = threshold
    }

    /// How many guests of each system the run will look up (from its plan).
    public func expect(_ lookups: [String: Int]) {
        expected = lookups
    }

    /// The guest's ACS users on `acsSystemID` (linked to the identity, not being deleted).
    public func findACSUsers(acsSystemID: String, userIdentityID: String) async throws -> [ACSUserState] {
        asked[acsSystemID, default: 0] += 1
        let sweepNow = asked[acsSystemID, default: 0] > threshold || expected[acsSystemID, default: 0] >= threshold
        if let index = await index(of: acsSystemID, startingSweep: sweepNow) {
            let users = (index.users[userIdentityID] ?? []).filter { !deleted.contains($0.acsUserID) }
            if !users.isEmpty { return users }
        }
        return try await operations.findACSUsers(acsSystemID: acsSystemID, userIdentityID: userIdentityID)
    }

    /// The multi-phone mobile key of an ACS user on `acsSystemID`, if it has one.
    public func findMobileKey(acsUserID: String, acsSystemID: String) async throws -> String? {
        if let index = await index(of: acsSystemID, startingSweep: false), !deleted.contains(acsUserID), let key = index.keys[acsUserID] {
            return key
        }
        return try await operations.findMobileKey(acsUserID: acsUserID)
    }

    /// The access groups of an adopted ACS user on `acsSystemID`: from the sweep when it holds the
    /// user, else asked of Seam. The run's own changes after the sweep are its own to track.
    public func accessGroupIDs(ofACSUser acsUserID: String, acsSystemID: String) async throws -> Set<String> {
        if let index = await index(of: acsSystemID, startingSweep: false), !deleted.contains(acsUserID), let groups = index.groups[acsUserID] {
            return groups
        }
        return try await operations.accessGroupIDs(ofACSUser: acsUserID)
    }

    /// Whether the sweep saw the user settled on the site (no pending mutation, no error, not being
    /// deleted) in `groups`, with the key `acsCredentialID` issued: Seam's own confirmation of an
    /// adopted user the run changed nothing on, so no confirmation round is needed for it.
    /// Returns the user's and key's warnings when it did, nil when it did not.
    public func showsInPlace(acsUserID: String, acsCredentialID: String, groups: Set<String>, schedule: AccessSchedule,
                             acsSystemID: String) async -> [String]? {
        guard let index = await index(of: acsSystemID, startingSweep: false), !deleted.contains(acsUserID),
              let user = index.usersByID[acsUserID], user.isSettled, !user.isBeingDeleted, user.schedule == schedule,
              let key = index.keyStates[acsUserID], key.acsCredentialID == acsCredentialID, key.isSynced, key.errors.isEmpty,
              index.groups[acsUserID] == groups else { return nil }
        var seen = Set<String>()
        return (user.warnings + key.warnings).filter { seen.insert($0).inserted }
    }

    /// This run deleted the ACS user: never answer with it again.
    public func forget(acsUserID: String) {
        deleted.insert(acsUserID)
    }

    /// The system's index once swept; nil before (or when the sweep failed: rows then ask one by one).
    private func index(of acsSystemID: String, startingSweep: Bool) async -> Index? {
        if sweeps[acsSystemID] == nil, startingSweep {
            let operations = operations
            sweeps[acsSystemID] = Task {
                var index = Index()
                for user in try await operations.acsUserStates(onACSSystem: acsSystemID) where !user.isBeingDeleted {
                    guard let identity = user.userIdentityID else { continue }
                    index.users[identity, default: []].append(user)
                    index.userIDs.insert(user.acsUserID)
                    index.usersByID[user.acsUserID] = user
                }
                for key in try await operations.credentialStates(onACSSystem: acsSystemID)
                where key.isMobileKey && !key.isBeingDeleted {
                    guard let user = key.acsUserID, index.userIDs.contains(user) else { continue }
                    if index.keys[user] == nil {
                        index.keys[user] = key.acsCredentialID
                        index.keyStates[user] = key
                    }
                }
                for group in try await operations.accessGroupIDs(onACSSystem: acsSystemID) {
                    for user in try await operations.acsUserIDs(inAccessGroup: group) where index.userIDs.contains(user) {
                        index.groups[user, default: []].insert(group)
                    }
                }
                for user in index.userIDs where index.groups[user] == nil { index.groups[user] = [] }
                return index
            }
        }
        guard let sweep = sweeps[acsSystemID] else { return nil }
        do {
            // A stopping run (drain deadline, 401) cancels the sweep rather than wait for it.
            return try await withTaskCancellationHandler { try await sweep.value } onCancel: { sweep.cancel() }
        } catch {
            // A failed sweep is not retried this run: the rows ask one by one, as before it.
            return nil
        }
    }
}
