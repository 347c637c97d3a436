/// Diffs one row of tonight's file against what the state file remembers, and picks the action.
///
/// Pure: the row, the record and the listing in, an action out. Every rule of a nightly run
/// (touch only what changed, resume what did not finish, follow moved dates, listings, emails
/// and cancellations) is here, and testable without a database or a server.
public struct Planner: Sendable {
    /// Without a state file every row is provisioned with lookups; nothing can be "unchanged".
    public var hasState: Bool
    public var cleanupExpired: Bool

    public init(hasState: Bool, cleanupExpired: Bool) {
        self.hasState = hasState
        self.cleanupExpired = cleanupExpired
    }

    /// The action for `row`; with `seam` (what `--verify`'s sweep showed for `record`), a row the
    /// state calls unchanged is checked against Seam and any drift is mended (`repair(for:)`).
    public func decide(_ row: ValidatedRow, record: StateRecord?, listing: Listing?, seam: SeamObservation? = nil) -> PlannedAction {
        let action = plan(row, record: record, listing: listing)
        guard let seam, let record, asksSeam(action, record: record), case .ready(let reservation) = row.verdict, let listing else { return action }
        return repair(Stay(reservation, at: listing), record: record, seam: seam) ?? action
    }

    /// Whether `--verify` asks Seam about a row before trusting the state: only one the state
    /// calls unchanged (every other action reads or writes Seam anyway, and a row the state does
    /// not know is looked up by natural key).
    public func asksSeam(_ action: PlannedAction, record: StateRecord?) -> Bool {
        record != nil && action == .none(.unchanged)
    }

    /// What mends the drift between Seam and a record the file still agrees with, judged by
    /// `DriftJudge` (the rule `export` reports by), or nil when there is none to mend. Every mend
    /// starts from what Seam showed, never from the state: a missing user or key is looked up by
    /// natural key once more before it is made (a sweep is a snapshot, not proof of absence).
    func repair(_ stay: Stay, record: StateRecord, seam: SeamObservation) -> PlannedAction? {
        let listingGroups = Set(stay.listing.accessGroupIDs)
        guard record.holdsKeys else {
            // Revoked, and Seam still holds a user of that name: the guest kept access.
            guard case .present(let user, let keys, _) = seam, !user.isBeingDeleted, stay.reservation.status == .cancelled else { return nil }
            let held = ProvisionedKeys(userIdentityID: user.userIdentityID, acsUserID: user.acsUserID,
                                       acsCredentialID: keys.first(where: \.isMobileKey)?.acsCredentialID)
            return .repair(.notRevoked, .revoke(stay, .trusted(KnownProgress(keys: held, location: RevocationTarget(record)))))
        }
        // The guest's identity is kept; the user, its key and its groups are whatever Seam shows.
        var keys = ProvisionedKeys(userIdentityID: record.keys.userIdentityID)
        guard case .present(let user, let credentials, let groups) = seam else {
            // `acsUserIntended`: a user the lookup finds instead has groups the state cannot vouch for.
            return .repair(.missingInSeam, .provision(.create, stay, .trusted(KnownProgress(keys: keys, acsUserIntended: true))))
        }
        switch DriftJudge.judge(user, keys: credentials, groups: groups, record: record, desiredGroups: listingGroups) {
        case .ok, .credentialNotSynced, .unknownToState, .missingInSeam, .notRevoked:
            return nil
        case .beingDeleted:
            // Deleted behind KeyBatch's back, and Seam is still at it: the state keeps tracking the
            // user until Seam no longer has it (a refused deletion leaves it holding the key, and
            // shows as `seam_error`); a later --verify run then finds it missing and makes a new one.
            return nil
        case .seamError:
            // The site refused the user or its key: both go and are made again, as a refusal seen
            // at confirmation is (the refusal is recorded first, so a replacement that stops short
            // is replaced again next run, never resumed on the refused user).
            var old = record
            old.keys.acsUserID = user.acsUserID
            old.keys.acsCredentialID = credentials.first(where: \.isMobileKey)?.acsCredentialID
            old.refusal = (user.errors + credentials.flatMap(\.errors)).first?.code ?? DriftKind.seamError.rawValue
            return .repair(.seamError, .replace(stay, old: old))
        case let drift:
            // Schedule, groups or key: the provisioner sets what Seam shows right.
            keys.acsUserID = user.acsUserID
            keys.schedule = user.schedule
            keys.accessGroupIDs = groups.sorted()
            keys.acsCredentialID = credentials.first { $0.isMobileKey && $0.acsCredentialID == record.keys.acsCredentialID }?.acsCredentialID
            return .repair(drift, .provision(.update, stay, .trusted(KnownProgress(keys: keys))))
        }
    }

    private func plan(_ row: ValidatedRow, record: StateRecord?, listing: Listing?) -> PlannedAction {
        switch row.verdict {
        case .invalid:
            return .none(.invalid)
        case .expired(let reservation):
            guard let listing else { return .none(.expired) }
            let stay = Stay(reservation, at: listing)
            if let record, hasState, record.awaitsDeletion {
                return .confirm(record)
            }
            if let record, hasState, record.refusal != nil, record.holdsKeys {
                // The site refused the deletion of an early departure: try it again.
                return .revoke(stay, .trusted(record.knownProgress))
            }
            if let record, hasState, record.holdsKeys, record.checkOut != reservation.checkOut {
                // Check-out moved into the past (an early departure): the stay is over by the new
                // dates, and Seam would refuse a schedule ending in the past, so the key goes now.
                return .revoke(stay, .trusted(record.knownProgress))
            }
            guard cleanupExpired else { return .none(.expired) }
            guard hasState else { return .cleanup(stay, .lookUpEverything) }
            guard let record, record.holdsKeys else { return .none(.expired) }
            return .cleanup(stay, .trusted(record.knownProgress))
        case .ready(let reservation):
            guard let listing else { return .none(.invalid) }
            let stay = Stay(reservation, at: listing)
            guard hasState else {
                return reservation.status == .cancelled ? .revoke(stay, .lookUpEverything) : .provision(.create, stay, .lookUpEverything)
            }
            return decide(stay, record: record)
        }
    }

    private func decide(_ stay: Stay, record: StateRecord?) -> PlannedAction {
        let reservation = stay.reservation
        guard let record, record.status != .cleaned else {
            // Never provisioned by a run with this state file, which proves nothing about Seam: a
            // new or lost state file, or keys made by an earlier tool. Look before creating.
            return reservation.status == .cancelled ? .revoke(stay, .lookUpEverything) : .provision(.create, stay, .lookUpEverything)
        }
        if reservation.status == .cancelled {
            guard record.status == .revoked else { return .revoke(stay, .trusted(record.knownProgress)) }
            return record.awaitsDeletion ? .confirm(record) : .none(.unchanged)
        }
        if record.status == .revoked, record.awaitsDeletion {
            // Confirmed again while the old key's deletion is unconfirmed: see that through first
            // (a refused deletion must stay tracked), and make the new key on the next run.
            return .confirm(record)
        }
        if record.status == .revoked {
            // Cancelled before, confirmed again: its old ACS user is gone, start over.
            let identity = record.guestEmail == reservation.guestEmail ? record.keys.userIdentityID : nil
            return .provision(.create, stay, .trusted(KnownProgress(keys: ProvisionedKeys(userIdentityID: identity))))
        }
        if record.holdsKeys && (record.guestEmail != reservation.guestEmail || record.acsSystemID != stay.listing.acsSystemID) {
            return .replace(stay, old: record)
        }
        if record.refusal != nil && record.holdsKeys {
            // The site refused (or lost) the ACS user: delete it and make it again, once per run.
            return .replace(stay, old: record)
        }
        var known = record.knownProgress
        if record.guestEmail != reservation.guestEmail {
            known.keys.userIdentityID = nil
        }
        if record.status == .partial || record.pendingCreate != nil {
            return .provision(.resume, stay, .trusted(known))
        }
        if record.fingerprint == Fingerprint(reservation, listing: stay.listing) {
            return record.awaitsConfirmation ? .confirm(record) : .none(.unchanged)
        }
        return .provision(.update, stay, .trusted(known))
    }
}
