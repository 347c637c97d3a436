/// Runs Seam's Salto KS mobile-key flow for one reservation, find-or-create at every step, so a
/// rerun, with or without a state file, never creates anything twice:
/// user identity → ACS user with the stay as `access_schedule` → every access group of the
/// listing → a multi-phone-sync mobile key.
///
/// It decides which calls to make; `SeamOperations` makes them and `ProvisioningJournal` records
/// intents and ids around every create.
public struct Provisioner: Sendable {
    private let operations: any SeamOperations
    private let identities: IdentityDirectory
    /// Natural-key lookups of ACS users and keys, swept per system on bulk runs.
    private let sweep: ACSSystemSweep
    private let journal: any ProvisioningJournal

    public init(operations: any SeamOperations, identities: IdentityDirectory, sweep: ACSSystemSweep? = nil,
                journal: any ProvisioningJournal = NoJournal()) {
        self.sweep = sweep ?? ACSSystemSweep(operations: operations)
        self.operations = operations
        self.identities = identities
        self.journal = journal
    }

    /// Brings Seam to the state `stay` asks for, trusting of the state file what `knowledge` allows.
    ///
    /// Seam is the truth: when a trusted id turns out stale (deleted in Seam's console, or by an
    /// earlier tool: a 404 or a `*_not_found` type), the ids are dropped, the journal is told, and
    /// the row is redone once by natural key, finding what still exists and creating what does not.
    public func provision(_ stay: Stay, knowledge: StateKnowledge) async throws(ProvisioningFailure) -> ProvisionedKeys {
        do {
            return try await provisionOnce(stay, knowledge: knowledge)
        } catch where error.isStaleID && knowledge != .lookUpEverything {
            // What this attempt made before the 404 is found again by the lookups; the journal
            // forgets only ids, never an announced create (those stay until their id is known),
            // and first announces the ACS user, so that if the redo stops short the next run
            // still counts this reservation as holding keys and looks its user up.
            try await step(.acsUser, knowledge.keys) { try await journal.willCreate(.acsUser, reservationID: stay.reservationID) }
            try await record(ProvisionedKeys(), stay.reservationID, error.step)
            if let stale = knowledge.keys.acsUserID { await sweep.forget(acsUserID: stale) }
            return try await provisionOnce(stay, knowledge: .lookUpEverything)
        }
    }

    private func provisionOnce(_ stay: Stay, knowledge: StateKnowledge) async throws(ProvisioningFailure) -> ProvisionedKeys {
        let (reservation, listing) = (stay.reservation, stay.listing)
        var keys = knowledge.keys
        let schedule = AccessSchedule(startsAt: reservation.checkIn, endsAt: reservation.checkOut)
        let id = reservation.reservationID
        let known = knowledge.known
        let trustsState = known != nil
        let acsUserUncertain = known?.acsUserIntended ?? true

        // 1. User identity: one per guest email, shared by the rows in flight.
        if keys.userIdentityID == nil {
            keys.userIdentityID = try await step(.userIdentity, keys) {
                try await identities.identityID(email: reservation.guestEmail, fullName: reservation.guestName, phoneNumber: reservation.guestPhone)
            }
        }
        let identityID = keys.userIdentityID!

        // 2. ACS user named after the reservation, with the stay as its schedule.
        var userIsNew = false
        if keys.acsUserID == nil {
            // Always looked up first, trusted state or not: an absent id proves nothing about Seam
            // (a lost or healed record, a row made by an earlier tool), and one list call is the
            // price of never making a second ACS user.
            let found: ACSUserSnapshot? = try await step(.acsUser, keys) {
                try await sweep.findACSUser(acsSystemID: listing.acsSystemID, userIdentityID: identityID, fullName: id)
            }
            if let found {
                keys.acsUserID = found.acsUserID
                keys.schedule = found.schedule
            } else {
                try await step(.acsUser, keys) { try await journal.willCreate(.acsUser, reservationID: id) }
                let created = try await step(.acsUser, keys) {
                    try await operations.createACSUser(acsSystemID: listing.acsSystemID, userIdentityID: identityID, fullName: id, schedule: schedule)
                }
                userIsNew = true
                keys.acsUserID = created.acsUserID
                keys.schedule = created.schedule ?? schedule
                keys.accessGroupIDs = []
            }
            try await record(keys, id, .acsUser)
        }
        let acsUserID = keys.acsUserID!
        if keys.schedule != schedule {
            try await step(.acsUser, keys) { try await operations.updateSchedule(acsUserID: acsUserID, schedule: schedule) }
            keys.schedule = schedule
            try await record(keys, id, .acsUser)
        }

        // 3. Access groups: add the listing's, remove any others (the listing changed).
        let current: Set<String>
        if userIsNew {
            current = []
        } else if trustsState && !acsUserUncertain {
            current = Set(keys.accessGroupIDs)
        } else {
            current = try await step(.accessGroups, keys) { try await operations.accessGroupIDs(ofACSUser: acsUserID) }
        }
        var memberships = current
        for group in listing.accessGroupIDs where !memberships.contains(group) {
            try await step(.accessGroups, keys) { try await operations.addToAccessGroup(acsUserID: acsUserID, accessGroupID: group) }
            memberships.insert(group)
            keys.accessGroupIDs = memberships.sorted()
        }
        for group in current.subtracting(listing.accessGroupIDs).sorted() {
            try await step(.accessGroups, keys) { try await operations.removeFromAccessGroup(acsUserID: acsUserID, accessGroupID: group) }
            memberships.remove(group)
            keys.accessGroupIDs = memberships.sorted()
        }
        keys.accessGroupIDs = listing.accessGroupIDs
        if Set(keys.accessGroupIDs) != current {
            // Memberships are not resources that can be duplicated, so one record after the
            // adds and removes is enough: a crash before it only means re-adding, which Seam ignores.
            try await record(keys, id, .accessGroups)
        }

        // 4. The mobile key.
        if keys.acsCredentialID == nil {
            // Likewise for the key, unless this attempt has just made the ACS user (it has none).
            let mustLookUp = !userIsNew
            let found: String? = mustLookUp ? try await step(.credential, keys) { try await sweep.findMobileKey(acsUserID: acsUserID, acsSystemID: listing.acsSystemID) } : nil
            if let found {
                keys.acsCredentialID = found
            } else {
                try await step(.credential, keys) { try await journal.willCreate(.credential, reservationID: id) }
                keys.acsCredentialID = try await step(.credential, keys) { try await operations.createMobileKey(acsUserID: acsUserID) }
            }
            try await record(keys, id, .credential)
        }
        return keys
    }

    /// Takes a reservation's key away: deletes its credential and its ACS user. The user identity
    /// stays: it is the guest's app account and may serve other stays. Each deletion is written
    /// to the journal as it happens, so a run that stops half-way never trusts a deleted id.
    public func revoke(_ target: RevocationTarget, knowledge: StateKnowledge) async throws(ProvisioningFailure) -> Revocation {
        var keys = knowledge.keys
        let id = target.reservationID
        if keys.acsUserID == nil || (knowledge.known?.acsUserIntended ?? true) {
            if keys.userIdentityID == nil {
                keys.userIdentityID = try await step(.revoke, keys) { try await operations.findUserIdentity(email: target.guestEmail) }
            }
            if let identityID = keys.userIdentityID {
                keys.acsUserID = try await step(.revoke, keys) {
                    try await sweep.findACSUser(acsSystemID: target.acsSystemID, userIdentityID: identityID, fullName: id)?.acsUserID
                }
            }
        }
        var revocation = Revocation(keys: keys, deletedACSUserID: nil, deletedCredentialID: nil)
        guard let acsUserID = keys.acsUserID else { return revocation }
        if keys.acsCredentialID == nil {
            keys.acsCredentialID = try await step(.revoke, keys) { try await sweep.findMobileKey(acsUserID: acsUserID, acsSystemID: target.acsSystemID) }
        }
        if let credential = keys.acsCredentialID {
            try await step(.revoke, keys) { try await operations.deleteCredential(acsCredentialID: credential) }
            keys.acsCredentialID = nil
            revocation.deletedCredentialID = credential
            try await record(keys, id, .revoke)
        }
        try await step(.revoke, keys) { try await operations.deleteACSUser(acsUserID: acsUserID) }
        await sweep.forget(acsUserID: acsUserID)
        keys.acsUserID = nil
        keys.accessGroupIDs = []
        keys.schedule = nil
        revocation.deletedACSUserID = acsUserID
        revocation.keys = keys
        return revocation
    }

    /// Waits, backing off, until Seam no longer has the ACS user: true once it is gone, false if the
    /// site is still deleting it after `timeout` (or the run stops); a refused deletion throws with
    /// Seam's code, carrying `progress` (the deleted user's id kept) so it is deleted again next run.
    public func awaitDeletion(of acsUserID: String, within timeout: Duration, progress: ProvisionedKeys) async throws(ProvisioningFailure) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var delays = ConfirmationQueue.delays[...]
        while true {
            let user = try await step(.revoke, progress) { try await operations.acsUserState(acsUserID: acsUserID) }
            switch ConfirmationJudge.judge(.absent(acsUserID: acsUserID, acsSystemID: user?.acsSystemID ?? ""), user: user, credential: nil) {
            case .confirmed:
                return true
            case .refused(let issue), .missing(let issue):
                throw ProvisioningFailure(step: .revoke, code: .seam(issue.code), message: "revoke: \(issue.message.isEmpty ? issue.code : issue.message)",
                                          progress: progress)
            case .pending:
                let delay = delays.popFirst() ?? .seconds(8)
                guard clock.now + delay <= deadline, !Task.isCancelled else { return false }
                try? await Task.sleep(for: delay)
            }
        }
    }

    private func record(_ keys: ProvisionedKeys, _ reservationID: String, _ step: ProvisioningStep) async throws(ProvisioningFailure) {
        try await self.step(step, keys) { try await journal.didProgress(reservationID: reservationID, keys: keys) }
    }

    /// Runs one call, turning any error into a `ProvisioningFailure` that says which step failed
    /// and carries what had been done so far.
    private func step<T>(_ step: ProvisioningStep, _ progress: ProvisionedKeys, _ body: () async throws -> T) async throws(ProvisioningFailure) -> T {
        do {
            return try await body()
        } catch {
            throw ProvisioningFailure(step: step, error: error, context: step.rawValue, progress: progress)
        }
    }
}
