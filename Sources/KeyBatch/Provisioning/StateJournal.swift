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

    public func settle(reservationID: String, status: StateRecord.Status, owesLink: Bool) async throws {
        try await store.settle(reservationID: reservationID, status: status, owesLink: owesLink)
    }

    public func linksDelivered(_ reservationIDs: [String]) async throws {
        try await store.linksDelivered(reservationIDs)
    }

    public func fail(reservationID: String, error: String) async throws {
        try await store.failReservation(reservationID: reservationID, error: error)
    }

    public func willCreate(_ step: ProvisioningStep, site: GuestSite) async throws {
        try await store.setPendingCreate(step, site: site)
    }

    public func didProgress(site: GuestSite, keys: ProvisionedKeys, step: ProvisioningStep, awaiting: ActionKind??, deleted: Bool) async throws {
        try await store.saveSite(site, keys: keys, awaiting: awaiting, deleted: deleted, groupsSeen: step == .accessGroups || step == .verify)
    }

    public func retire(_ users: [RetiredUser], site: GuestSite) async throws {
        try await store.retire(users, site: site)
    }

    public func retiredGone(acsUserID: String) async throws {
        try await store.retiredGone(acsUserID: acsUserID)
    }

    public func confirmed(site: GuestSite, forgetACSUser: Bool) async throws {
        try await store.confirmSite(site, forgetACSUser: forgetACSUser)
    }

    public func refused(site: GuestSite, issue: SeamIssue) async throws {
        switch issue.code {
        case .run(.accessScheduleNotHeld):
            // Not the user that was refused, only its schedule: the next run sends it again.
            try await store.forgetSchedule(site, error: "\(issue.code): \(issue.message)")
        case .run(.accessGroupsNotHeld):
            // Only its memberships: the next run reads them from Seam and mends the difference.
            try await store.forgetGroups(site, error: "\(issue.code): \(issue.message)")
        default:
            try await store.refuseSite(site, code: issue.code.rawValue, message: issue.message)
        }
    }

    public func fail(site: GuestSite, keys: ProvisionedKeys, error: String) async throws {
        try await store.failSite(site, error: error)
    }
}
