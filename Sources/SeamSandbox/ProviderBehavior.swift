import Foundation

/// How the access system behind Seam (the Salto KS site) takes what Seam pushes to it.
///
/// Real Seam answers `acs/users/create`, `update`, `delete` and `acs/credentials/create` at once,
/// then pushes the change to the site in the background: the resource shows `pending_mutations`
/// (or an unsynced credential) until the site has it, and the site may refuse, which only shows
/// later as an `errors` entry. A client that trusts the immediate answer is wrong about what the
/// guest can open; this is how tests make the sandbox behave like that.
///
/// The default (`.synchronous`) keeps the sandbox as it always was: every change is on the site by
/// the time the answer leaves, nothing is refused. Delays are measured on the sandbox clock
/// (`SandboxControls.now()`), so a test advances the clock instead of sleeping; on the system or
/// an offset clock they also pass in real time.
public struct ProviderBehavior: Sendable, Equatable, Codable {
    /// Seconds from an accepted create or update (ACS user, access schedule, user information,
    /// group membership, credential) until the site has it. 0: at once.
    public var syncDelay: TimeInterval
    /// Seconds from an accepted `acs/users/delete` or `acs/credentials/delete` until the object is
    /// gone; until then it stays visible with a `being_deleted` warning. 0: at once.
    public var deletionDelay: TimeInterval
    /// When the site refuses a change (see `RefusalRule`); any matching rule refuses.
    public var refusals: [RefusalRule]

    public init(syncDelay: TimeInterval = 0, deletionDelay: TimeInterval = 0, refusals: [RefusalRule] = []) {
        self.syncDelay = syncDelay
        self.deletionDelay = deletionDelay
        self.refusals = refusals
    }

    /// Everything on the site at once, nothing refused: the sandbox's default.
    public static let synchronous = ProviderBehavior()

    /// The longest delay accepted, about ten years: long enough for any test, short enough that
    /// clock arithmetic can never overflow.
    public static let maximumDelay: TimeInterval = 315_576_000

    /// Delays clamped into `0...maximumDelay` (NaN counts as 0), so a value set from Swift can
    /// never push a due date out of the range timestamps can be written in.
    var sanitized: ProviderBehavior {
        func clamp(_ seconds: TimeInterval) -> TimeInterval {
            seconds.isNaN ? 0 : min(max(seconds, 0), Self.maximumDelay)
        }
        return ProviderBehavior(syncDelay: clamp(syncDelay), deletionDelay: clamp(deletionDelay), refusals: refusals)
    }

    /// Whether the site refuses `operation` on the ACS user named `reservationID` whose guest has
    /// `guestEmails`; `random` gives one uniform number in `0..<1` per rule that has a probability.
    func refuses(_ operation: RefusalRule.Operation, reservationID: String, guestEmails: [String], random: () -> Double) -> Bool {
        refusals.contains { $0.refuses(operation, reservationID: reservationID, guestEmails: guestEmails, random: random) }
    }

    enum CodingKeys: String, CodingKey {
        case syncDelay = "sync_delay_seconds", deletionDelay = "deletion_delay_seconds", refusals
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            syncDelay: try container.decodeIfPresent(Double.self, forKey: .syncDelay) ?? 0,
            deletionDelay: try container.decodeIfPresent(Double.self, forKey: .deletionDelay) ?? 0,
            refusals: try container.decodeIfPresent([RefusalRule].self, forKey: .refusals) ?? []
        )
    }
}
