/// What happened to one input row; the `status` column of a results file.
public enum ResultStatus: String, Sendable, CaseIterable, Comparable {
    /// `validate` only: the row would be provisioned.
    case valid
    case invalid
    /// Check-out has passed; never sent to Seam.
    case expired
    case provisioned
    /// Already as the file asks (state file): no call made.
    case unchanged
    /// Dates or access groups changed and were brought up to date.
    case updated
    case failed
    /// A cancelled reservation whose credential and ACS user were deleted.
    case revoked
    /// The run stopped (interrupt, abort) before this row started.
    case notStarted = "not_started"
    /// Seam accepted the change and the Salto KS site has not confirmed it yet (or the run did not
    /// wait: `--confirm-timeout`); the next run re-checks it. `action` says what is pending.
    case pending
    /// A later visit of the guest on the site: their one ACS user holds an earlier visit until it
    /// ends, and the first run after that moves it here (same key). Not a failure; the message
    /// says which visit holds the user and until when.
    case deferred

    public static func < (lhs: ResultStatus, rhs: ResultStatus) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
