/// `--instant-keys`: which rows get a link, and what came of asking Seam for them.
///
/// A row provisioned in this run (made now, or confirmed now after an earlier run left it
/// pending) gets a link; an unchanged row does not (its guest got one when it was made: a new
/// link every night would flood guests and Seam). A refusal never changes the row's status (the
/// key itself is in place); the column stays empty and the reason is counted here, by Seam's
/// error code, for the summary.
public struct InstantKeyTally: Sendable, Equatable {
    public struct Refusal: Sendable, Equatable {
        /// The first refusal's message with this code.
        public var message: String
        public var count: Int
        /// The first few reservations refused, to start looking.
        public var reservationIDs: [String]
    }

    public private(set) var issued = 0
    /// By error code.
    public private(set) var refusals: [String: Refusal] = [:]

    public init() {}

    /// Does `row` get a link?
    static func wants(_ row: ResultRow) -> Bool {
        (row.status == .provisioned || (row.owesLink && row.status == .unchanged)) && row.userIdentityID != nil
    }

    public var refused: Int { refusals.values.reduce(0) { $0 + $1.count } }

    mutating func record(_ outcome: Result<InstantKeyLink, ProvisioningFailure>, reservationID: String) {
        switch outcome {
        case .success:
            issued += 1
        case .failure(let failure):
            var refusal = refusals[failure.code.rawValue] ?? Refusal(message: failure.message, count: 0, reservationIDs: [])
            refusal.count += 1
            if refusal.reservationIDs.count < 5 { refusal.reservationIDs.append(reservationID) }
            refusals[failure.code.rawValue] = refusal
        }
    }
}
