/// `--verify`: reads what Seam holds on each ACS system once, in bulk (the same sweep as
/// `keybatch export`: pages of users and credentials and one call per access group), and answers
/// for each reservation the state knows what Seam shows of it, so that drift made behind
/// KeyBatch's back costs pages, not a call per reservation.
///
/// A system is read the first time one of its reservations asks, so a file touching one system of
/// many reads only that one. A failed read is not retried this run (the client has retried every
/// call already): every reservation of that system is answered with the same error.
public actor VerificationSweep {
    private let operations: any SeamOperations
    private var reads: [String: Task<ACSSystemInventory, any Error>] = [:]

    public init(operations: any SeamOperations) {
        self.operations = operations
    }

    /// What Seam shows for `record`: its ACS user by the recorded id or, for a record that holds
    /// none (a confirmed revocation forgets it), by name on its system, so a user Seam kept (or
    /// staff made again) for a revoked reservation is seen.
    public func observation(for record: StateRecord) async throws -> SeamObservation {
        let inventory = try await inventory(of: record.acsSystemID)
        let user: ACSUserState?
        if let id = record.keys.acsUserID {
            user = inventory.users.first { $0.acsUserID == id }
        } else {
            user = inventory.users.first { $0.fullName == record.reservationID && !$0.isBeingDeleted }
        }
        guard let user else { return .absent }
        return .present(user, keys: inventory.keysByUser[user.acsUserID] ?? [], groups: inventory.groupsByUser[user.acsUserID] ?? [])
    }

    /// ACS users on the systems read that no state record knows, by id or as a reservation's user
    /// on that system (`unknown_to_state`: made by hand or by another tool). Reported, never touched.
    public func strangers(among records: [StateRecord]) async -> [ACSUserState] {
        let ids = Set(records.compactMap(\.keys.acsUserID))
        let names = Set(records.map { "\($0.acsSystemID)/\($0.reservationID)" })
        var found: [ACSUserState] = []
        for system in reads.keys.sorted() {
            guard let inventory = try? await reads[system]?.value else { continue }
            found += inventory.users.filter { user in
                !ids.contains(user.acsUserID) && !user.isBeingDeleted && !names.contains("\(system)/\(user.fullName ?? "")")
            }
        }
        return found
    }

    private func inventory(of acsSystemID: String) async throws -> ACSSystemInventory {
        if reads[acsSystemID] == nil {
            let operations = operations
            reads[acsSystemID] = Task { try await ACSSystemInventory.read(acsSystemID, operations: operations) }
        }
        let read = reads[acsSystemID]!
        return try await withTaskCancellationHandler { try await read.value } onCancel: { read.cancel() }
    }
}
