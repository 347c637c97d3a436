/// The provisioning journal kept in the state file.
public struct StateJournal: ProvisioningJournal {
    private let store: StateStore
    private let runID: Int64

    public init(store: StateStore, runID: Int64) {
        self.store = store
        self.runID = runID
    }

    public func begin(_ reservation: Reservation, listing: Listing) async throws {
        try await store.upsertDesired(reservation, listing: listing, runID: runID)
    }

    public func willCreate(_ step: ProvisioningStep, reservationID: String) async throws {
        try await store.setPendingCreate(step, reservationID: reservationID)
    }

    public func didProgress(reservationID: String, keys: ProvisionedKeys) async throws {
        try await store.saveKeys(keys, reservationID: reservationID)
    }

    public func finish(reservationID: String, outcome: JournalOutcome, keys: ProvisionedKeys, awaiting: ActionKind?) async throws {
        let status: StateRecord.Status = switch outcome {
        case .provisioned: .provisioned
        case .revoked: .revoked
        case .cleaned: .cleaned
        }
        try await store.finish(keys, reservationID: reservationID, status: status, awaiting: awaiting)
    }

    public func confirmed(reservationID: String, forgetACSUser: Bool) async throws {
        try await store.confirm(reservationID: reservationID, forgetACSUser: forgetACSUser)
    }

    public func refused(reservationID: String, issue: SeamIssue) async throws {
        try await store.refuse(reservationID: reservationID, code: issue.code, message: issue.message)
    }

    public func fail(reservationID: String, keys: ProvisionedKeys, error: String) async throws {
        try await store.recordFailure(keys, reservationID: reservationID, error: error)
    }
}
