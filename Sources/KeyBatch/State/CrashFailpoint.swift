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
    private let pending: Mutex<Set<String>>

    /// Kills the process after the `killAfterCreate`th create (1 = the first).
    public init(wrapping journal: any ProvisioningJournal, killAfterCreate count: Int) {
        wrapped = journal
        remaining = Mutex(max(1, count))
        pending = Mutex([])
    }

    public func begin(_ reservation: Reservation, listing: Listing) async throws {
        try await wrapped.begin(reservation, listing: listing)
    }

    public func willCreate(_ step: ProvisioningStep, reservationID: String) async throws {
        try await wrapped.willCreate(step, reservationID: reservationID)
        _ = pending.withLock { $0.insert(reservationID) }
    }

    public func didProgress(reservationID: String, keys: ProvisionedKeys) async throws {
        let created = pending.withLock { $0.remove(reservationID) != nil }
        if created, remaining.withLock({ count in count -= 1; return count == 0 }) {
            kill(getpid(), SIGKILL)
        }
        try await wrapped.didProgress(reservationID: reservationID, keys: keys)
    }

    public func finish(reservationID: String, outcome: JournalOutcome, keys: ProvisionedKeys, awaiting: ActionKind?) async throws {
        try await wrapped.finish(reservationID: reservationID, outcome: outcome, keys: keys, awaiting: awaiting)
    }

    public func confirmed(reservationID: String, forgetACSUser: Bool) async throws {
        try await wrapped.confirmed(reservationID: reservationID, forgetACSUser: forgetACSUser)
    }

    public func refused(reservationID: String, issue: SeamIssue) async throws {
        try await wrapped.refused(reservationID: reservationID, issue: issue)
    }

    public func fail(reservationID: String, keys: ProvisionedKeys, error: String) async throws {
        try await wrapped.fail(reservationID: reservationID, keys: keys, error: error)
    }
}
