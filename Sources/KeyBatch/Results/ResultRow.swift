/// One line of a results file: the input row's identity, what happened, the Seam ids involved and,
/// for a row that did not make it, a code and a sentence saying why.
public struct ResultRow: Sendable {
    public var identity: ValidatedRow.Identity
    public var status: ResultStatus
    public var userIdentityID: String?
    public var acsUserID: String?
    public var acsCredentialID: String?
    public var accessGroupIDs: [String]
    public var errorCode: ErrorCode?
    public var errorMessage: String?
    public var httpCalls: Int
    /// Warning codes of the ACS user and the key, as Seam showed them when it confirmed the row.
    public var seamWarnings: [String] = []
    /// What the run set out to do; nil for `validate`, which plans nothing.
    public var action: ActionKind?
    /// `--instant-keys`: an earlier run asked for this row's link and never finished a results
    /// file with it, so this run asks again even though the row is unchanged; not a column.
    public var owesLink = false
    /// The `seam-request-id` of the Seam answer that failed the row, for the log (Seam's support
    /// finds a request by it); not a results column.
    public var seamRequestID: String?
    /// `--instant-keys`: the link that opens the guest's mobile key.
    public var instantKeyURL: String?
    /// Until when Seam says the link works (ISO 8601, as Seam sent it).
    public var instantKeyExpiresAt: String?

    public init(identity: ValidatedRow.Identity, status: ResultStatus, userIdentityID: String? = nil, acsUserID: String? = nil,
                acsCredentialID: String? = nil, accessGroupIDs: [String] = [], errorCode: ErrorCode? = nil,
                errorMessage: String? = nil, httpCalls: Int = 0) {
        self.identity = identity
        self.status = status
        self.userIdentityID = userIdentityID
        self.acsUserID = acsUserID
        self.acsCredentialID = acsCredentialID
        self.accessGroupIDs = accessGroupIDs
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.httpCalls = httpCalls
    }

    /// The row for a validation verdict: `valid`/`expired`, or `invalid` with the first error's
    /// code and every error's message.
    public init(validated row: ValidatedRow, readyStatus: ResultStatus = .valid) {
        switch row.verdict {
        case .ready:
            self.init(identity: row.identity, status: readyStatus)
        case .expired:
            self.init(identity: row.identity, status: .expired)
        case .invalid(let errors):
            self.init(
                identity: row.identity, status: .invalid,
                errorCode: errors.first.map { .row($0.code) },
                errorMessage: errors.map { "\($0.code.rawValue): \($0.located)" }.joined(separator: "; ")
            )
        }
    }
}
