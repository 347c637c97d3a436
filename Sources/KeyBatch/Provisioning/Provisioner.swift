/// Runs Seam's Salto KS mobile-key flow for one guest on one site, find-or-create at every step,
/// so a rerun, with or without a state file, never creates anything twice: user identity → the
/// guest's one ACS user on the site, with the current visit as `access_schedule` and its
/// listings' access groups (given in the create) → a multi-phone-sync mobile key.
///
/// Seam links an identity to one ACS user per site, so the provisioner never asks for a second:
/// it looks the guest's users on the site up by identity before creating, adopts what it finds,
/// and, when it finds several (the old one-user-per-stay model), keeps one and deletes the others
/// only once the site has confirmed the kept one.
///
/// It decides which calls to make; `SeamOperations` makes them and `ProvisioningJournal` records
/// intents and ids around every create and deletion.
public struct Provisioner: Sendable {
    private let operations: any SeamOperations
    private let identities: IdentityDirectory
    /// Natural-key lookups of ACS users and keys, swept per system on bulk runs.
    private let sweep: ACSSystemSweep
    private let journal: any ProvisioningJournal
    /// How long a move waits for the site to confirm the kept user before old users are
    /// deleted, or for a refused user's deletion before the new one is made (`--confirm-timeout`).
    private let siteWait: Duration

    public init(operations: any SeamOperations, identities: IdentityDirectory, sweep: ACSSystemSweep? = nil,
                journal: any ProvisioningJournal = NoJournal(), siteWait: Duration = .seconds(60)) {
        self.sweep = sweep ?? ACSSystemSweep(operations: operations)
        self.operations = operations
        self.identities = identities
        self.journal = journal
        self.siteWait = siteWait
    }

    // MARK: Holding a visit

    /// Brings the guest's user on `site` to `visit`, trusting of the state file what `knowledge` allows.
    ///
    /// Seam is the truth: when a trusted id turns out stale (deleted in Seam's console, or by an
    /// earlier tool: a 404 or a `*_not_found` type), the ids are dropped, the journal is told, and
    /// the site is redone once by natural key, finding what still exists and creating what does not.
    public func hold(_ site: GuestSite, visit: Visit, contact: SiteContact, knowledge: SiteKnowledge) async throws(ProvisioningFailure) -> SiteOutcome {
        do {
            return try await holdOnce(site, visit: visit, contact: contact, knowledge: knowledge)
        } catch where error.isStaleID && knowledge != .lookUpEverything {
            // The user is announced first, so that if the redo stops short the next run still
            // looks the guest's users up before it trusts anything.
            let identity = ProvisionedKeys(userIdentityID: error.step == .userIdentity ? nil : knowledge.keys.userIdentityID)
            try await step(.acsUser, identity) { try await journal.willCreate(.acsUser, site: site) }
            try await save(identity, site, error.step)
            if let stale = knowledge.keys.acsUserID { await sweep.forget(acsUserID: stale) }
            var fresh = GuestSiteRecord(site: site, keys: identity, pendingCreate: .acsUser)
            fresh.retired = knowledge.record?.retired ?? []
            return try await holdOnce(site, visit: visit, contact: contact, knowledge: .trusted(fresh))
        }
    }

    private func holdOnce(_ site: GuestSite, visit: Visit, contact: SiteContact, knowledge: SiteKnowledge) async throws(ProvisioningFailure) -> SiteOutcome {
        let record = knowledge.record
        var keys = knowledge.keys
        var retirees = record?.retired ?? []
        // Without a record, or with a user create announced and never resolved, Seam may hold
        // users the state cannot vouch for: look them up, and their groups.
        var usersUncertain = record == nil || record?.pendingCreate == .acsUser

        // 1. User identity: one per guest email, shared by the rows in flight.
        let identityID: String
        if let known = keys.userIdentityID {
            identityID = known
        } else {
            identityID = try await step(.userIdentity, keys) {
                try await identities.identityID(email: site.guestEmail, fullName: contact.guestName, phoneNumber: contact.guestPhone)
            }
            keys.userIdentityID = identityID
        }

        // 2. A user the site refused, or one whose deletion is not confirmed, goes first: Seam
        //    links the identity to one user per site, so the new one waits until it is gone.
        if let record, let old = keys.acsUserID, record.refusal != nil || record.awaitsDeletion {
            var deletesAgain = record.refusal != nil
            // What Seam showed of the old user just now, while no deletion has been sent since:
            // the wait's first look (nil: not looked at).
            var seen: ACSUserState??
            if !deletesAgain {
                // A deletion an earlier run sent and did not see through (killed before its
                // confirmation): if the site has refused it since, it is sent again, or the wait
                // below would find the refusal on every run and never get past it (the 20-minute
                // soak's one guest that did not converge).
                let user = try await step(.revoke, keys) { try await operations.acsUserState(acsUserID: old) }
                if case .refused? = user.map({ ConfirmationJudge.judge(.absent(acsUserID: old, acsSystemID: site.acsSystemID), user: $0, credential: nil) }) {
                    deletesAgain = true
                } else {
                    seen = .some(user)
                }
            }
            if deletesAgain {
                try await deleteUser(old, credential: keys.acsCredentialID, site: site, keys: keys)
            }
            guard try await awaitDeletion(of: old, within: siteWait, progress: keys, alreadySeen: seen) else {
                return SiteOutcome(keys: keys, waiting: "waiting for the Salto KS site to delete the refused ACS user \(old) before the guest's new one is made; the next run goes on")
            }
            await sweep.forget(acsUserID: old)
            keys = ProvisionedKeys(userIdentityID: identityID)
            try await save(keys, site, .acsUser, awaiting: .some(nil), deleted: true)
            usersUncertain = true
        }

        // Whether this attempt asked Seam to change anything: an adopted user it did not change,
        // which the sweep showed in place, needs no confirmation round. Once it has, every record
        // of the site also says the site has the change to confirm, in the same write, so a run
        // killed before the end never leaves a record that holds the visit unconfirmed.
        var changed = false

        // 3. The guest's one ACS user on the site. An identity this run created owns none: no
        //    lookup (a new guest costs three creates and nothing else).
        var userIsNew = false
        if keys.acsUserID == nil || usersUncertain {
            let created = await identities.wasCreated(identityID)
            let freshIdentity = keys.acsUserID == nil && retirees.isEmpty && record?.pendingCreate != .acsUser && created
            let found = freshIdentity ? [] : try await step(.acsUser, keys) { try await sweep.findACSUsers(acsSystemID: site.acsSystemID, userIdentityID: identityID) }
            if let kept = Self.keeper(among: found, known: keys.acsUserID, visit: visit, retiring: Set(retirees.map(\.acsUserID))) {
                if retirees.contains(where: { $0.acsUserID == kept.acsUserID }) {
                    // The only user left is one listed for retirement: it is the guest's now.
                    retirees.removeAll { $0.acsUserID == kept.acsUserID }
                    try await step(.acsUser, keys) { try await journal.retiredGone(acsUserID: kept.acsUserID) }
                }
                let others = found.filter { $0.acsUserID != kept.acsUserID }.map { RetiredUser(acsUserID: $0.acsUserID) }
                if !others.isEmpty {
                    try await step(.acsUser, keys) { try await journal.retire(others, site: site) }
                    retirees += others.filter { other in !retirees.contains { $0.acsUserID == other.acsUserID } }
                }
                if kept.acsUserID != keys.acsUserID { keys.acsCredentialID = nil }
                keys.acsUserID = kept.acsUserID
                keys.schedule = kept.schedule
            } else if keys.acsUserID == nil {
                try await step(.acsUser, keys) { try await journal.willCreate(.acsUser, site: site) }
                let created = try await step(.acsUser, keys) {
                    try await operations.createACSUser(acsSystemID: site.acsSystemID, userIdentityID: identityID, fullName: contact.fullName(for: site),
                                                       schedule: visit.schedule, accessGroupIDs: visit.accessGroupIDs)
                }
                userIsNew = true
                changed = true
                keys.acsUserID = created.acsUserID
                keys.schedule = created.schedule ?? visit.schedule
                keys.accessGroupIDs = visit.accessGroupIDs
                keys.acsCredentialID = nil
            }
            try await save(keys, site, .acsUser, awaiting: changed ? .some(.update) : nil)
        }
        guard let acsUserID = keys.acsUserID else {
            throw ProvisioningFailure(step: .acsUser, code: .run(.internalError), message: "acs_user: no ACS user after the lookup and create", progress: keys)
        }
        if keys.schedule != visit.schedule {
            try await step(.acsUser, keys) { try await operations.updateSchedule(acsUserID: acsUserID, schedule: visit.schedule) }
            changed = true
            keys.schedule = visit.schedule
            try await save(keys, site, .acsUser, awaiting: .some(.update))
        }

        // 4. Access groups: the visit's listings', added; any others removed. The state's list is
        //    used unless it cannot vouch for it: an adopted user, or memberships the site rolled back.
        if !userIsNew {
            let groupsUncertain = record?.pendingCreate == .accessGroups
            let current = record != nil && !usersUncertain && !groupsUncertain && keys.acsUserID == record?.keys.acsUserID
                ? Set(keys.accessGroupIDs)
                : try await step(.accessGroups, keys) { try await sweep.accessGroupIDs(ofACSUser: acsUserID, acsSystemID: site.acsSystemID) }
            let wanted = Set(visit.accessGroupIDs)
            for group in visit.accessGroupIDs where !current.contains(group) {
                try await step(.accessGroups, keys) { try await operations.addToAccessGroup(acsUserID: acsUserID, accessGroupID: group) }
            }
            for group in current.subtracting(wanted).sorted() {
                try await step(.accessGroups, keys) { try await operations.removeFromAccessGroup(acsUserID: acsUserID, accessGroupID: group) }
            }
            keys.accessGroupIDs = visit.accessGroupIDs
            if current != wanted { changed = true }
            if current != wanted || groupsUncertain {
                // Memberships cannot be duplicated: one record after the adds and removes is enough.
                try await save(keys, site, .accessGroups, awaiting: changed ? .some(.update) : nil)
            }
        }

        // 5. The one mobile key (a user made this attempt has none to look for).
        if keys.acsCredentialID == nil {
            let found: String? = userIsNew ? nil : try await step(.credential, keys) {
                try await sweep.findMobileKey(acsUserID: acsUserID, acsSystemID: site.acsSystemID)
            }
            if let found {
                keys.acsCredentialID = found
            } else {
                try await step(.credential, keys) { try await journal.willCreate(.credential, site: site) }
                keys.acsCredentialID = try await step(.credential, keys) { try await operations.createMobileKey(acsUserID: acsUserID) }
                changed = true
            }
            try await save(keys, site, .credential, awaiting: changed ? .some(.update) : nil)
        }
        guard let credentialID = keys.acsCredentialID else {
            throw ProvisioningFailure(step: .credential, code: .run(.internalError), message: "credential: no mobile key after the lookup and create", progress: keys)
        }
        let expectation = Expectation.present(acsUserID: acsUserID, acsCredentialID: credentialID, acsSystemID: site.acsSystemID,
                                              accessGroupIDs: Set(visit.accessGroupIDs), schedule: visit.schedule)
        if !changed, retirees.isEmpty,
           let warnings = await sweep.showsInPlace(acsUserID: acsUserID, acsCredentialID: credentialID, groups: Set(visit.accessGroupIDs),
                                                   schedule: visit.schedule, acsSystemID: site.acsSystemID) {
            // Seam's own listing, taken this run, showed the user settled with the visit's
            // schedule and groups and its key issued, and nothing was sent since: confirmed.
            var outcome = SiteOutcome(keys: keys)
            outcome.warnings = warnings
            return outcome
        }

        // 6. The guest's other users on the site go, once the kept one is on the site with the
        //    visit: a guest in the middle of a stay holds a working key at every moment.
        if !retirees.isEmpty {
            guard try await awaitConfirmation(expectation, site: site, progress: keys) else {
                return SiteOutcome(keys: keys, expectation: expectation,
                                   waiting: "the guest's other ACS users on this site are kept until the site confirms the one kept; the next run goes on")
            }
            for retiree in retirees { _ = try await retire(retiree, site: site, keys: keys) }
        }
        return SiteOutcome(keys: keys, expectation: expectation)
    }

    /// The user to keep among the guest's users on a site: the one the state knows, else (among
    /// those not listed for retirement and not refused by the site, when there are any) the one
    /// holding the visit (its schedule overlaps it; the earliest to end first), else the oldest.
    static func keeper(among all: [ACSUserState], known: String?, visit: Visit, retiring: Set<String> = []) -> ACSUserState? {
        if let known, let user = all.first(where: { $0.acsUserID == known }) { return user }
        let preferred = all.filter { !retiring.contains($0.acsUserID) && $0.errors.isEmpty }
        let users = preferred.isEmpty ? all : preferred
        let holding = users.filter { user in
            guard let schedule = user.schedule else { return false }
            return schedule.startsAt < visit.endsAt && schedule.endsAt > visit.startsAt
        }
        if let user = holding.min(by: { ($0.schedule!.endsAt, $0.createdAt ?? "", $0.acsUserID) < ($1.schedule!.endsAt, $1.createdAt ?? "", $1.acsUserID) }) {
            return user
        }
        return users.min { ($0.createdAt ?? "", $0.acsUserID) < ($1.createdAt ?? "", $1.acsUserID) }
    }

    // MARK: Removing

    /// Takes the guest's access on a site away: deletes their user (its key with it) and any other
    /// users of theirs there. The user identity stays: it is the guest's app account and may serve
    /// other sites. Each deletion is written to the journal as it happens, and the deleted user's
    /// id is kept until the site confirms it gone.
    public func remove(_ site: GuestSite, knowledge: SiteKnowledge) async throws(ProvisioningFailure) -> SiteOutcome {
        let record = knowledge.record
        var keys = knowledge.keys
        var users: [RetiredUser] = []
        if let user = keys.acsUserID { users.append(RetiredUser(acsUserID: user, acsCredentialID: keys.acsCredentialID)) }
        if record == nil || record?.pendingCreate == .acsUser {
            if keys.userIdentityID == nil {
                keys.userIdentityID = try await step(.revoke, keys) { try await operations.findUserIdentity(email: site.guestEmail) }
            }
            if let identityID = keys.userIdentityID {
                let found = try await step(.revoke, keys) { try await sweep.findACSUsers(acsSystemID: site.acsSystemID, userIdentityID: identityID) }
                users += found.filter { user in !users.contains { $0.acsUserID == user.acsUserID } }.map { RetiredUser(acsUserID: $0.acsUserID) }
            }
        }
        let retirees = (record?.retired ?? []).filter { retiree in !users.contains { $0.acsUserID == retiree.acsUserID } }
        guard let main = users.first else {
            var allGone = true
            for retiree in retirees where !(try await retire(retiree, site: site, keys: keys)) { allGone = false }
            return SiteOutcome(keys: keys, waiting: allGone ? nil : Self.retiring, foundNothing: retirees.isEmpty)
        }
        // Users found beyond the first are retired: tracked until Seam no longer has them.
        let others = Array(users.dropFirst())
        if !others.isEmpty { try await step(.revoke, keys) { try await journal.retire(others, site: site) } }
        try await deleteUser(main.acsUserID, credential: main.acsCredentialID, site: site, keys: keys)
        var allGone = true
        for retiree in others + retirees where !(try await retire(retiree, site: site, keys: keys)) { allGone = false }
        let reported = ProvisionedKeys(userIdentityID: keys.userIdentityID, acsUserID: main.acsUserID, acsCredentialID: main.acsCredentialID)
        // The row's `revoked` waits for every user of the guest there to be gone.
        return SiteOutcome(keys: reported, expectation: .absent(acsUserID: main.acsUserID, acsSystemID: site.acsSystemID),
                           waiting: allGone ? nil : Self.retiring)
    }

    static let retiring = "the guest's other ACS users on this site are still being deleted by the Salto KS site; the next run goes on"

    /// Deletes a user and, first, its key when it is known (deleting the user invalidates its
    /// credentials, so an unknown key is not looked up); the journal keeps the user's id, marked
    /// deleted, until the site confirms it gone.
    private func deleteUser(_ acsUserID: String, credential: String?, site: GuestSite, keys: ProvisionedKeys) async throws(ProvisioningFailure) {
        if let credential {
            try await step(.revoke, keys) { try await operations.deleteCredential(acsCredentialID: credential) }
        }
        try await step(.revoke, keys) { try await operations.deleteACSUser(acsUserID: acsUserID) }
        await sweep.forget(acsUserID: acsUserID)
        var kept = keys
        kept.acsUserID = acsUserID
        kept.acsCredentialID = nil
        try await save(kept, site, .revoke, awaiting: .some(.revoke), deleted: true)
    }

    /// One of the guest's other users on the site: looked at, deleted unless Seam is already at
    /// it, and forgotten once Seam no longer has it (within `siteWait`; else the next run looks
    /// again). Returns whether it is gone.
    private func retire(_ retiree: RetiredUser, site: GuestSite, keys: ProvisionedKeys) async throws(ProvisioningFailure) -> Bool {
        let seen = try await step(.revoke, keys) { try await operations.acsUserState(acsUserID: retiree.acsUserID) }
        if let seen, !seen.isBeingDeleted || !seen.errors.isEmpty {
            if let credential = retiree.acsCredentialID {
                try await step(.revoke, keys) { try await operations.deleteCredential(acsCredentialID: credential) }
            }
            try await step(.revoke, keys) { try await operations.deleteACSUser(acsUserID: retiree.acsUserID) }
        }
        await sweep.forget(acsUserID: retiree.acsUserID)
        let gone = seen == nil ? true : try await awaitDeletion(of: retiree.acsUserID, within: siteWait, progress: keys)
        if gone {
            try await step(.revoke, keys) { try await journal.retiredGone(acsUserID: retiree.acsUserID) }
        }
        return gone
    }

    // MARK: Waiting for the site

    /// Waits, backing off, until Seam no longer has the ACS user: true once it is gone, false if the
    /// site is still deleting it after `timeout` (or the run stops); a refused deletion throws with
    /// Seam's code, carrying `progress`.
    /// `alreadySeen`: what Seam showed of the user a moment ago (`.some(nil)`: gone), used as the
    /// first look instead of asking again.
    public func awaitDeletion(of acsUserID: String, within timeout: Duration, progress: ProvisionedKeys,
                              alreadySeen: ACSUserState?? = nil) async throws(ProvisioningFailure) -> Bool {
        var firstLook = alreadySeen
        return try await poll(within: timeout) { () async throws(ProvisioningFailure) -> ConfirmationVerdict in
            let user: ACSUserState?
            if let seen = firstLook {
                user = seen
                firstLook = nil
            } else {
                user = try await step(.revoke, progress) { try await operations.acsUserState(acsUserID: acsUserID) }
            }
            return ConfirmationJudge.judge(.absent(acsUserID: acsUserID, acsSystemID: user?.acsSystemID ?? ""), user: user, credential: nil)
        } failing: { issue in
            ProvisioningFailure(step: .revoke, code: issue.code, message: "revoke: \(issue.message.isEmpty ? issue.code.rawValue : issue.message)", progress: progress)
        }
    }

    /// Waits, backing off, until the site shows the kept user as `expectation` asks (schedule,
    /// groups, key synced): true once confirmed, false after `siteWait`; a refusal throws.
    /// A schedule or groups the site rolled back are recorded as such (the journal forgets them, so
    /// the next run sets them again from what Seam shows), as a confirmation round would.
    private func awaitConfirmation(_ expectation: Expectation, site: GuestSite, progress: ProvisionedKeys) async throws(ProvisioningFailure) -> Bool {
        do {
            return try await awaitConfirmation(expectation, progress: progress)
        } catch {
            if error.code.isNotHeld {
                try await step(.stateFile, progress) { try await journal.refused(site: site, issue: SeamIssue(code: error.code, message: error.message)) }
            }
            throw error
        }
    }

    private func awaitConfirmation(_ expectation: Expectation, progress: ProvisionedKeys) async throws(ProvisioningFailure) -> Bool {
        try await poll(within: siteWait) { () async throws(ProvisioningFailure) -> ConfirmationVerdict in
            let user = try await step(.acsUser, progress) { try await operations.acsUserState(acsUserID: expectation.acsUserID) }
            let credential = try await step(.credential, progress) {
                try await expectation.acsCredentialID.asyncMap { try await operations.credentialState(acsCredentialID: $0) } ?? nil
            }
            let groups = try await step(.accessGroups, progress) { try await operations.accessGroupIDs(ofACSUser: expectation.acsUserID) }
            return ConfirmationJudge.judge(expectation, user: user, credential: credential, groups: groups)
        } failing: { issue in
            // Gone from Seam while the run waited (deleted in the console): a stale id, redone by natural key.
            ProvisioningFailure(step: .acsUser, code: issue.code, message: "acs_user: \(issue.message.isEmpty ? issue.code.rawValue : issue.message)",
                                isNotFound: issue.code.seamCode?.isNotFound ?? false, progress: progress)
        }
    }

    private func poll(within timeout: Duration, _ check: () async throws(ProvisioningFailure) -> ConfirmationVerdict,
                      failing: (SeamIssue) -> ProvisioningFailure) async throws(ProvisioningFailure) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var delays = ConfirmationQueue.delays[...]
        while true {
            switch try await check() {
            case .confirmed:
                return true
            case .refused(let issue), .missing(let issue):
                throw failing(issue)
            case .pending:
                let delay = delays.popFirst() ?? .seconds(8)
                guard clock.now + delay <= deadline, !Task.isCancelled else { return false }
                try? await Task.sleep(for: delay)
            }
        }
    }

    // MARK: Journal and errors

    private func save(_ keys: ProvisionedKeys, _ site: GuestSite, _ step: ProvisioningStep, awaiting: ActionKind?? = nil,
                      deleted: Bool = false) async throws(ProvisioningFailure) {
        try await self.step(step, keys) { try await journal.didProgress(site: site, keys: keys, step: step, awaiting: awaiting, deleted: deleted) }
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

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
