import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A journal wrapper that kills the process with SIGKILL right after the Nth create has
/// succeeded in Seam and before its id is recorded: the one window where a naive tool loses
/// track of what it made. Only the crash-safety tests arm it (the CLI reads
/// `KEYBATCH_FAILPOINT=kill-after-create:N` and wraps the run's journal); the library never
/// looks at the environment.
public final class CrashFailpoint: ProvisioningJournal {
    private let wrapped: any ProvisioningJournal
    private let remaining: Mutex<Int>
    private let pending: Mutex<Set<GuestSite>>

    /// Kills the process after the `killAfterCreate`th create (1 = the first).
    public init(wrapping journal: any ProvisioningJournal, killAfterCreate count: Int) {
        wrapped = journal
        remaining = Mutex(max(1, count))
        pending = Mutex([])
    }

    public func begin(_ reservation: Reservation, listing: Listing) async throws {
        try await wrapped.begin(reservation, listing: listing)
    }

    public func settle(reservationID: String, status: StateRecord.Status, owesLink: Bool) async throws {
        try await wrapped.settle(reservationID: reservationID, status: status, owesLink: owesLink)
    }

    public func linksDelivered(_ reservationIDs: [String]) async throws {
        try await wrapped.linksDelivered(reservationIDs)
    }

    public func fail(reservationID: String, error: String) async throws {
        try await wrapped.fail(reservationID: reservationID, error: error)
    }

    public func willCreate(_ step: ProvisioningStep, site: GuestSite) async throws {
        try await wrapped.willCreate(step, site: site)
        _ = pending.withLock { $0.insert(site) }
    }

    public func didProgress(site: GuestSite, keys: ProvisionedKeys, step: ProvisioningStep, awaiting: ActionKind??, deleted: Bool) async throws {
        let created = pending.withLock { $0.remove(site) != nil }
        if created, remaining.withLock({ count in count -= 1; return count == 0 }) {
            kill(getpid(), SIGKILL)
        }
        try await wrapped.didProgress(site: site, keys: keys, step: step, awaiting: awaiting, deleted: deleted)
    }

    public func retire(_ users: [RetiredUser], site: GuestSite) async throws {
        try await wrapped.retire(users, site: site)
    }

    public func retiredGone(acsUserID: String) async throws {
        try await wrapped.retiredGone(acsUserID: acsUserID)
    }

    public func confirmed(site: GuestSite, forgetACSUser: Bool) async throws {
        try await wrapped.confirmed(site: site, forgetACSUser: forgetACSUser)
    }

    public func refused(site: GuestSite, issue: SeamIssue) async throws {
        try await wrapped.refused(site: site, issue: issue)
    }

    public func fail(site: GuestSite, keys: ProvisionedKeys, error: String) async throws {
        try await wrapped.fail(site: site, keys: keys, error: error)
    }
}
