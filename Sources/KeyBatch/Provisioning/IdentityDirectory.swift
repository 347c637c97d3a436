/// Finds or creates the one user identity of each guest email, once per run.
///
/// Rows of the same guest are often in flight together; without coordination two of them would
/// both see "no identity" and both create one. Each email gets a single shared lookup-or-create
/// task that every row of that guest awaits, and its answer is remembered for later rows.
public actor IdentityDirectory {
    private let operations: any SeamOperations
    private var resolved: [String: String] = [:]
    private var inFlight: [String: Task<String, any Error>] = [:]

    public init(operations: any SeamOperations) {
        self.operations = operations
    }

    /// The identity id for `email` (already normalised), creating the identity if the workspace has none.
    public func identityID(email: String, fullName: String?, phoneNumber: String?) async throws -> String {
        if let id = resolved[email] { return id }
        if let task = inFlight[email] { return try await Self.value(of: task) }
        let operations = operations
        let task = Task<String, any Error> {
            if let existing = try await operations.findUserIdentity(email: email) { return existing }
            return try await operations.createUserIdentity(email: email, fullName: fullName, phoneNumber: phoneNumber)
        }
        inFlight[email] = task
        defer { inFlight[email] = nil }
        let id = try await Self.value(of: task)
        resolved[email] = id
        return id
    }

    /// The shared lookup is an unstructured task, which a cancelled row would not cancel: waiting
    /// through it would stretch a drain deadline or a 401 stop by the lookup's retries. A waiter
    /// that is cancelled cancels it (rows are only cancelled all together, so no sibling loses out).
    private static func value(of task: Task<String, any Error>) async throws -> String {
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
