/// `--verify`: reads what Seam holds on each ACS system once, in bulk (the same sweep as
/// `keybatch export`: pages of users and credentials and one call per access group), and answers
/// for each guest's site the state knows what Seam shows of their user there, so that drift made behind
/// KeyBatch's back costs pages, not a call per reservation.
///
/// A system is read the first time one of its reservations asks, so a file touching one system of
/// many reads only that one. A failed read is not retried this run (the client has retried every
/// call already): every reservation of that system is answered with the same error.
public actor VerificationSweep {
    private let operations: any SeamOperations
    private var reads: [String: Task<Index, any Error>] = [:]

    /// One system's inventory, indexed by ACS user id and by identity, so each site is answered
    /// in constant time however many users the system has.
    private struct Index: Sendable {
        var inventory: ACSSystemInventory
        var byID: [String: ACSUserState] = [:]
        var byIdentity: [String: ACSUserState] = [:]

        init(_ inventory: ACSSystemInventory) {
            self.inventory = inventory
            for user in inventory.users {
                byID[user.acsUserID] = user
                if let identity = user.userIdentityID, !user.isBeingDeleted, byIdentity[identity] == nil { byIdentity[identity] = user }
            }
        }
    }

    public init(operations: any SeamOperations) {
        self.operations = operations
    }

    /// What Seam shows for the guest's site: their ACS user by the recorded id or, for a record
    /// that holds none (a confirmed revocation forgets it), by identity on the system, so a user
    /// Seam kept (or staff made again) for a guest whose access ended is seen.
    public func observation(for record: GuestSiteRecord) async throws -> SeamObservation {
        let index = try await index(of: record.site.acsSystemID)
        let found = record.keys.acsUserID.map { index.byID[$0] } ?? record.keys.userIdentityID.flatMap { index.byIdentity[$0] }
        guard let user = found else { return .absent }
        return .present(user, keys: index.inventory.keysByUser[user.acsUserID] ?? [], groups: index.inventory.groupsByUser[user.acsUserID] ?? [])
    }

    /// `observation(for:)` for a run: a failure to read is the row's failure (step `verify`),
    /// carrying the record's ids, with Seam's code and whether it was a 401 or no connection.
    public func observe(_ record: GuestSiteRecord) async -> Result<SeamObservation, ProvisioningFailure> {
        do {
            return .success(try await observation(for: record))
        } catch {
            return .failure(ProvisioningFailure(step: .verify, error: error, context: "verify: reading ACS system \(record.site.acsSystemID)",
                                                progress: record.keys))
        }
    }

    /// ACS users on the systems read that no state record knows (`unknown_to_state`: made by hand
    /// or by another tool), by `export`'s rule: known by id (kept or retired), or as the user of a
    /// guest whose site the state knows. Reported, never touched.
    public func strangers(among records: [GuestSiteRecord]) async -> [ACSUserState] {
        let ids = Set(records.compactMap(\.keys.acsUserID) + records.flatMap { $0.retired.map(\.acsUserID) })
        let guests = Set(records.compactMap(\.userKey))
        var found: [ACSUserState] = []
        for system in reads.keys.sorted() {
            guard let inventory = try? await reads[system]?.value.inventory else { continue }
            found += inventory.users.filter { user in
                !ids.contains(user.acsUserID) && !user.isBeingDeleted && !(user.key(on: system).map(guests.contains) ?? false)
            }
        }
        return found
    }

    private func index(of acsSystemID: String) async throws -> Index {
        if reads[acsSystemID] == nil {
            let operations = operations
            reads[acsSystemID] = Task { Index(try await ACSSystemInventory.read(acsSystemID, operations: operations)) }
        }
        let read = reads[acsSystemID]!
        return try await withTaskCancellationHandler { try await read.value } onCancel: { read.cancel() }
    }
}
