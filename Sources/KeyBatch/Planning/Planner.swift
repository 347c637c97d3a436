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

    public func decide(_ row: ValidatedRow, record: StateRecord?, listing: Listing?) -> PlannedAction {
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
