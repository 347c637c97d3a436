/// When the simulated site refuses a change Seam pushes to it.
///
/// A rule picks the ACS users it targets, then refuses each matching operation with `probability`:
///
/// - `reservationIDs` (the ACS user's `full_name`, which KeyBatch sets to the reservation id) and
///   `guestEmails` (the linked user identity's email, or the ACS user's own `email_address`;
///   compared case-insensitively) narrow the rule to those users; a user matches when it is in
///   either list. Both empty: every user.
/// - `operations`: which kinds of change it refuses. `create` (the ACS user settles into
///   `failed_to_create_on_acs_system`), `update` (an access schedule, user information or group
///   membership change settles into `failed_to_update_on_acs_system` and is rolled back to what
///   the site still has), `delete` (the user stays, with `failed_to_delete_on_acs_system`).
///   Separate kinds because a site that refuses new users (a full or misconfigured site) usually
///   still lets existing ones be changed or removed, and tests need each failure on its own.
///
/// The outcome is decided when Seam accepts the request and shows when the change settles (after
/// `ProviderBehavior.syncDelay` or `deletionDelay`), so changing the rules later does not alter
/// changes already in flight. Credentials are not refused on their own: a credential of a user the
/// site never created simply never becomes synced.
public struct RefusalRule: Sendable, Equatable, Codable {
    public enum Operation: String, Sendable, Codable, CaseIterable {
        case create, update, delete
    }

    public var operations: Set<Operation>
    /// Chance (0...1) that a matching operation is refused.
    public var probability: Double
    public var reservationIDs: Set<String>
    public var guestEmails: Set<String>

    public init(operations: Set<Operation> = [.create], probability: Double = 1, reservationIDs: Set<String> = [], guestEmails: Set<String> = []) {
        self.operations = operations
        self.probability = probability
        self.reservationIDs = reservationIDs
        self.guestEmails = Set(guestEmails.map { $0.lowercased() })
    }

    /// The pure decision: does this rule refuse `operation` on this user, given a draw in `0..<1`?
    /// `random` is only called when the rule matches and its probability is strictly between 0 and 1.
    func refuses(_ operation: Operation, reservationID: String, guestEmails: [String], random: () -> Double) -> Bool {
        guard operations.contains(operation), targets(reservationID: reservationID, guestEmails: guestEmails) else { return false }
        if probability >= 1 { return true }
        if !(probability > 0) { return false }
        return random() < probability
    }

    private func targets(reservationID: String, guestEmails emails: [String]) -> Bool {
        if reservationIDs.isEmpty, guestEmails.isEmpty { return true }
        if reservationIDs.contains(reservationID) { return true }
        return emails.contains { guestEmails.contains($0.lowercased()) }
    }

    enum CodingKeys: String, CodingKey {
        case operations, probability, reservationIDs = "reservation_ids", guestEmails = "guest_emails"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            operations: try container.decodeIfPresent(Set<Operation>.self, forKey: .operations) ?? [.create],
            probability: try container.decodeIfPresent(Double.self, forKey: .probability) ?? 1,
            reservationIDs: try container.decodeIfPresent(Set<String>.self, forKey: .reservationIDs) ?? [],
            guestEmails: try container.decodeIfPresent(Set<String>.self, forKey: .guestEmails) ?? []
        )
    }
}
