/// What one reservation's row is, within its guest's plan on its site: it decides the row's
/// status once the site's work is done (and confirmed).
public enum StayRole: Sendable, Hashable {
    /// In the visit the user holds: `provisioned` (or `updated`, when the stay had a key before;
    /// `unchanged` when nothing had to be sent).
    case current(hadKey: Bool)
    /// In a later visit: `deferred` (not a failure). The user holds `held` until it ends.
    case deferred(held: Visit, own: Visit)
    /// Its access ends tonight (cancelled, dropped under `--sync`, moved, ended early): `revoked`
    /// once Seam confirms it (`unchanged` when an earlier run already revoked it).
    case ended(alreadyRevoked: Bool)
    /// Over by its dates: `expired`, never sent (or, with `--cleanup-expired` and no stay left on
    /// the site, `revoked` with the user's deletion).
    case expired(cleanedUp: Bool)

    /// Whether `--verify` reads Seam for the stay's site: for every stay but one merely over (a
    /// current or later visit must hold its user; an ended one must not have one left).
    public var isVerified: Bool {
        if case .expired = self { return false }
        return true
    }

    /// The row's status when its site needs no call tonight.
    public var statusUnchanged: ResultStatus {
        switch self {
        case .current(let hadKey): hadKey ? .unchanged : .provisioned
        case .deferred: .deferred
        case .ended(let alreadyRevoked): alreadyRevoked ? .unchanged : .revoked
        case .expired: .expired
        }
    }

    /// The row's status once its site's work is done and confirmed.
    public var statusDone: ResultStatus {
        switch self {
        case .current(let hadKey): hadKey ? .updated : .provisioned
        case .deferred: .deferred
        case .ended: .revoked
        case .expired(let cleanedUp): cleanedUp ? .revoked : .expired
        }
    }

    /// Whether the row's claim waits on the site's confirmation (a deferred or expired row claims
    /// no access, so it is written as soon as the site's calls are made).
    public var awaitsSite: Bool {
        switch self {
        case .current, .ended: true
        case .deferred: false
        case .expired(let cleanedUp): cleanedUp
        }
    }

    /// What the state file records for the reservation once the row is done.
    public var recordStatus: StateRecord.Status? {
        switch self {
        case .current: .provisioned
        case .deferred: .deferred
        case .ended: .revoked
        case .expired(let cleanedUp): cleanedUp ? .cleaned : nil
        }
    }

    /// The results' message of a deferred row: which visit holds the user, and until when.
    public var note: String? {
        guard case .deferred(let held, let own) = self else { return nil }
        return "deferred: the guest's ACS user on this site holds the visit \(held.startsAt.iso8601) to \(held.endsAt.iso8601) "
            + "(\(held.reservationIDs.joined(separator: ", "))); this stay's visit from \(own.startsAt.iso8601) gets it on the first run after that"
    }
}
