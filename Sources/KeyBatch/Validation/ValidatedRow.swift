/// One input row after validation. Every row of the input file becomes exactly one of these, in
/// input order, so the results file can account for every row.
public struct ValidatedRow: Sendable {
    /// The row's identifying fields as read (trimmed), also for rows that failed validation.
    public struct Identity: Sendable, Hashable {
        public var line: Int
        public var reservationID: String
        public var guestEmail: String
        public var listingID: String

        public init(line: Int, reservationID: String, guestEmail: String, listingID: String) {
            self.line = line
            self.reservationID = reservationID
            self.guestEmail = guestEmail
            self.listingID = listingID
        }
    }

    public enum Verdict: Sendable {
        /// Valid and current: to be provisioned (or revoked, when cancelled).
        case ready(Reservation)
        /// Valid, but check-out has passed: never sent to Seam.
        case expired(Reservation)
        case invalid([RowError])
    }

    public var identity: Identity
    public var verdict: Verdict

    /// The validated reservation, expired or not; nil for an invalid row.
    public var reservation: Reservation? {
        switch verdict {
        case .ready(let reservation), .expired(let reservation): reservation
        case .invalid: nil
        }
    }

    public init(identity: Identity, verdict: Verdict) {
        self.identity = identity
        self.verdict = verdict
    }
}
