/// Finds or creates the one user identity of each guest email, once per run.
///
/// Rows of the same guest are often in flight together; without coordination two of them would
/// both see "no identity" and both create one. Each email gets a single shared lookup-or-create
/// task that every row of that guest awaits, and its answer is remembered for later rows.
///
/// On a bulk run the lookups are answered from one listing of the workspace's identities (all
/// pages) once `threshold` emails have asked, instead of a search per guest. The listing only says
/// yes: an email it lacks is created directly, which is safe because Seam keeps emails unique (a
/// taken one is refused, and the identity holding it is then looked up: never a second one).
/// Whether this run created the identity is remembered: a brand-new identity owns no ACS user, so
/// the provisioner skips that lookup.
public actor IdentityDirectory {
    /// Emails looked up one by one before the workspace's identities are listed.
    public static let threshold = 8

    private let operations: any SeamOperations
    private let threshold: Int
    private var resolved: [String: String] = [:]
    private var inFlight: [String: Task<(id: String, created: Bool), any Error>] = [:]
    private var created: Set<String> = []
    private var asked = 0
    private var listing: Task<[String: String], any Error>?
    private var expected = 0

    public init(operations: any SeamOperations, threshold: Int = IdentityDirectory.threshold) {
        self.operations = operations
        self.threshold = threshold
    }

    /// How many guests the run will look up (from its plan): `threshold` or more lists the
    /// workspace's identities at the first lookup.
    public func expect(_ lookups: Int) {
        expected = lookups
    }

    /// Starts the listing of the workspace's identities now, when the plan expects `threshold`
    /// lookups or more: it then runs beside the run's first checks (the ACS systems), not after
    /// them, which at Seam's pace gave the start of a bulk run a second with nothing sent.
    public func prefetch() {
        guard expected >= threshold else { return }
        _ = listed(startingNow: true)
    }

    /// The identity id for `email` (already normalised), creating the identity if the workspace has none.
    public func identityID(email: String, fullName: String?, phoneNumber: String?) async throws -> String {
        if let id = resolved[email] { return id }
        if let task = inFlight[email] { return try await Self.value(of: task).id }
        asked += 1
        let startsListing = asked > threshold || expected >= threshold
        let operations = operations
        // Registered before anything is awaited, so a second row of the guest joins this task.
        let task = Task<(id: String, created: Bool), any Error> {
            if let index = await self.listed(starting: startsListing) {
                if let known = index[email] { return (known, false) }
            } else if let existing = try await operations.findUserIdentity(email: email) {
                return (existing, false)
            }
            return try await operations.createUserIdentity(email: email, fullName: fullName, phoneNumber: phoneNumber)
        }
        inFlight[email] = task
        defer { inFlight[email] = nil }
        let answer = try await Self.value(of: task)
        resolved[email] = answer.id
        if answer.created { created.insert(answer.id) }
        return answer.id
    }

    /// Whether this run created the identity (Seam answered the create itself).
    public func wasCreated(_ userIdentityID: String) -> Bool { created.contains(userIdentityID) }

    /// The workspace's identities once listed; nil before (or when the listing failed: emails are
    /// then looked up one by one, as before it).
    private func listed(starting: Bool) async -> [String: String]? {
        guard let listing = listed(startingNow: starting) else { return nil }
        return try? await withTaskCancellationHandler { try await listing.value } onCancel: { listing.cancel() }
    }

    /// The listing's task, started when `starting` and not yet.
    private func listed(startingNow starting: Bool) -> Task<[String: String], any Error>? {
        if listing == nil, starting {
            let operations = operations
            listing = Task { try await operations.userIdentityIDsByEmail() }
        }
        return listing
    }

    /// The shared lookup is an unstructured task, which a cancelled row would not cancel: waiting
    /// through it would stretch a drain deadline or a 401 stop by the lookup's retries. A waiter
    /// that is cancelled cancels it (rows are only cancelled all together, so no sibling loses out).
    private static func value(of task: Task<(id: String, created: Bool), any Error>) async throws -> (id: String, created: Bool) {
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
