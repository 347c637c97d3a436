import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A journal wrapper that kills the process with SIGKILL right after the Nth create has
/// succeeded in Seam and before its id is recorded: the one window where a naive tool loses
/// track of what it made. The crash-safety tests arm it through `KEYBATCH_FAILPOINT`
/// (`kill-after-create:N`); it is inert otherwise.
public final class CrashFailpoint: ProvisioningJournal {
    public static let environmentVariable = "KEYBATCH_FAILPOINT"

    private let wrapped: any ProvisioningJournal
    private let remaining: Mutex<Int>
    private let pending: Mutex<Set<String>>

    /// The journal to use: `journal` itself unless the environment arms a failpoint.
    public static func wrapping(_ journal: any ProvisioningJournal, environment: [String: String]) -> any ProvisioningJournal {
        guard let spec = environment[environmentVariable], spec.hasPrefix("kill-after-create:"),
              let count = Int(spec.dropFirst("kill-after-create:".count)), count > 0 else { return journal }
        return CrashFailpoint(wrapped: journal, count: count)
    }

    private init(wrapped: any ProvisioningJournal, count: Int) {
        self.wrapped = wrapped
        remaining = Mutex(count)
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

    public func finish(reservationID: String, outcome: JournalOutcome, keys: ProvisionedKeys) async throws {
        try await wrapped.finish(reservationID: reservationID, outcome: outcome, keys: keys)
    }

    public func fail(reservationID: String, keys: ProvisionedKeys, error: String) async throws {
        try await wrapped.fail(reservationID: reservationID, keys: keys, error: error)
    }
}
