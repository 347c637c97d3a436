import Foundation

/// The simulated site behind Seam: changes Seam accepted are *scheduled* here and *settle* later,
/// in time order, the way Seam's background sync pushes them to a Salto KS site.
///
/// Settlement is lazy: every request first settles what is due by the sandbox clock
/// (`settleProviderSync(upTo:)`), so time can jump (a test advances the clock) and the outcome is
/// the same as if the sandbox had been watching. With the default `ProviderBehavior.synchronous`
/// every change is due at once and settles inside the request that made it, and nothing is ever
/// pending: the index (`pendingObjectIDs`, `nextSettlementAt`) stays empty and settling is free.
extension WorkspaceData {
    // MARK: - Scheduling

    mutating func takeEventOrder() -> Int {
        defer { nextEventOrder += 1 }
        return nextEventOrder
    }

    /// Records that `id` (an ACS user or credential) has an event due at `due`.
    mutating func markPending(_ id: String, due: Date) {
        pendingObjectIDs.insert(id)
        nextSettlementAt = min(nextSettlementAt ?? due, due)
    }

    /// Hands `change` of an ACS user to the site (after folding it into what is already pending,
    /// see `ACSUserRecord.merge`) and settles it at once when it is already due. With
    /// `refusal`, the site refuses it whatever the refusal rules say, with that message.
    mutating func schedule(_ change: PendingMutation.Change, forACSUser id: String, context: SeamCallContext, refusal: String? = nil) {
        guard var user = acsUsers[id] else { return }
        let merged = user.merge(change)
        acsUsers[id] = user
        guard let change = merged else { return }
        defer { settleProviderSync(upTo: context.now) }
        let behavior = context.provider.sanitized
        var mutation = PendingMutation(change: change, createdAt: context.now, settlesAt: context.now, isRefused: false, order: takeEventOrder())
        mutation.settlesAt = context.now.addingTimeInterval(mutation.operation == .delete ? behavior.deletionDelay : behavior.syncDelay)
        let guestEmails = [user.userIdentityID.flatMap { userIdentities[$0]?.emailAddress }, user.emailAddress].compactMap { $0 }
        if let refusal {
            mutation.isRefused = true
            mutation.refusalMessage = refusal
        } else {
            mutation.isRefused = behavior.refuses(mutation.operation, reservationID: user.fullName, guestEmails: guestEmails, random: context.random)
        }
        user.pendingMutations.append(mutation)
        acsUsers[id] = user
        markPending(id, due: mutation.settlesAt)
    }

    /// Starts issuing a new credential on the site (after the sync delay, and never before its
    /// ACS user is there) and settles it at once when it is already due.
    mutating func scheduleIssuing(credential id: String, context: SeamCallContext) {
        guard var credential = credentials[id] else { return }
        let due = context.now.addingTimeInterval(context.provider.sanitized.syncDelay)
        credential.syncDueAt = due
        credentials[id] = credential
        markPending(id, due: due)
        settleProviderSync(upTo: context.now)
    }

    /// Starts deleting a credential: gone at once without a deletion delay, else visible with
    /// `being_deleted` until the delay passes. A second call while it is pending changes nothing.
    mutating func scheduleDeletion(credential id: String, context: SeamCallContext) {
        guard var credential = credentials[id], credential.deletionDueAt == nil else { return }
        let due = context.now.addingTimeInterval(context.provider.sanitized.deletionDelay)
        credential.deletionRequestedAt = context.now
        credential.deletionDueAt = due
        credentials[id] = credential
        markPending(id, due: due)
        settleProviderSync(upTo: context.now)
    }

    // MARK: - Settling

    /// One thing the site does at a given time.
    private enum ProviderEvent {
        case userMutation(acsUserID: String, order: Int)
        case credentialIssue(acsCredentialID: String)
        case credentialDeletion(acsCredentialID: String)

        /// At the same instant users settle before credentials, so a credential due together with
        /// its user's creation sees the user on the site.
        var rank: Int {
            switch self {
            case .userMutation: 0
            case .credentialIssue: 1
            case .credentialDeletion: 2
            }
        }
    }

    /// Applies every provider event due at or before `now`, oldest first.
    mutating func settleProviderSync(upTo now: Date) {
        guard let next = nextSettlementAt, next <= now else { return }
        var events: [(at: Date, order: Int, event: ProviderEvent)] = []
        for id in pendingObjectIDs {
            if let user = acsUsers[id] {
                for mutation in user.pendingMutations where mutation.settlesAt <= now {
                    events.append((mutation.settlesAt, mutation.order, .userMutation(acsUserID: id, order: mutation.order)))
                }
            } else if let credential = credentials[id] {
                if let due = credential.syncDueAt, due <= now {
                    events.append((due, credential.sequence, .credentialIssue(acsCredentialID: id)))
                }
                if let due = credential.deletionDueAt, due <= now {
                    events.append((due, credential.sequence, .credentialDeletion(acsCredentialID: id)))
                }
            }
        }
        events.sort { ($0.at, $0.event.rank, $0.order) < ($1.at, $1.event.rank, $1.order) }
        for entry in events {
            switch entry.event {
            case .userMutation(let userID, let order): settleMutation(order: order, ofACSUser: userID)
            case .credentialIssue(let credentialID): settleIssuing(credential: credentialID)
            case .credentialDeletion(let credentialID): credentials[credentialID] = nil
            }
        }
        rebuildPendingIndex()
    }

    private mutating func rebuildPendingIndex() {
        var next: Date?
        pendingObjectIDs = pendingObjectIDs.filter { id in
            let due: Date?
            if let user = acsUsers[id] {
                due = user.pendingMutations.map(\.settlesAt).min()
            } else if let credential = credentials[id] {
                due = [credential.syncDueAt, credential.deletionDueAt].compactMap { $0 }.min()
            } else {
                due = nil
            }
            if let due { next = min(next ?? due, due) }
            return due != nil
        }
        nextSettlementAt = next
    }

    private mutating func settleMutation(order: Int, ofACSUser id: String) {
        guard var user = acsUsers[id], let index = user.pendingMutations.firstIndex(where: { $0.order == order }) else { return }
        let mutation = user.pendingMutations.remove(at: index)
        let at = mutation.settlesAt
        switch mutation.change {
        case .creation:
            if mutation.isRefused {
                user.record(.failedToCreateOnACSSystem, message: mutation.refusalMessage, at: at)
            } else if slotUsage(ofACSSystem: user.acsSystemID).isFull {
                user.record(.saltoKSSubscriptionLimitExceeded, at: at)
            } else {
                user.onSiteSince = at
                user.lastSuccessfulSyncAt = at
            }
        case .deletion:
            if mutation.isRefused {
                user.record(.failedToDeleteOnACSSystem, at: at)
            } else {
                removeACSUser(id)
                return
            }
        case .accessSchedule(let siteHas, _):
            if mutation.isRefused {
                user.accessSchedule = siteHas
                user.record(.failedToUpdateOnACSSystem, message: "The access system refused the access schedule update.", at: at)
            } else {
                user.clearError(.failedToUpdateOnACSSystem)
                user.lastSuccessfulSyncAt = at
            }
        case .groupMembership(let groupID, let isAdding):
            if mutation.isRefused {
                if isAdding {
                    user.accessGroupIDs.removeAll { $0 == groupID }
                } else if !user.accessGroupIDs.contains(groupID) {
                    user.accessGroupIDs.append(groupID)
                }
                user.record(.failedToUpdateOnACSSystem, message: "The access system refused the access group membership update.", at: at)
            } else {
                user.clearError(.failedToUpdateOnACSSystem)
                user.lastSuccessfulSyncAt = at
            }
        case .userInformation(let siteHas, _):
            if mutation.isRefused {
                user.userInformation = siteHas
                user.record(.failedToUpdateOnACSSystem, message: "The access system refused the user information update.", at: at)
            } else {
                user.clearError(.failedToUpdateOnACSSystem)
                user.lastSuccessfulSyncAt = at
            }
        }
        acsUsers[id] = user
    }

    private mutating func settleIssuing(credential id: String) {
        guard var credential = credentials[id], let due = credential.syncDueAt else { return }
        credential.syncDueAt = nil
        if let user = acsUsers[credential.acsUserID] {
            if let onSiteSince = user.onSiteSince {
                credential.syncedWithProviderAt = max(due, onSiteSince)
            } else if let creation = user.pendingMutations.first(where: { $0.change == .creation }) {
                credential.syncDueAt = max(due, creation.settlesAt)
                pendingObjectIDs.insert(id)
            }
            // Otherwise the site refused the user: the credential is never issued.
        }
        credentials[id] = credential
    }

    // MARK: - Queries

    /// The site's slots and who holds them.
    func slotUsage(ofACSSystem systemID: String) -> SaltoKSSlotUsage {
        let arrivals = acsUsers.values.compactMap { $0.acsSystemID == systemID ? $0.onSiteSince : nil }
        return SaltoKSSlotUsage(slots: acsSystems[systemID]?.subscriptionSlots, arrivals: arrivals)
    }
}
