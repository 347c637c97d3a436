/// What Seam shows of a credential right now: whether the key has been issued on the site.
public struct CredentialState: Sendable, Hashable {
    public var acsCredentialID: String
    public var acsUserID: String?
    /// `is_latest_desired_state_synced_with_provider`; a missing field counts as not synced.
    public var isSynced: Bool
    public var errors: [SeamIssue]
    public var warnings: [String]

    public init(acsCredentialID: String, acsUserID: String? = nil, isSynced: Bool, errors: [SeamIssue] = [], warnings: [String] = []) {
        self.acsCredentialID = acsCredentialID
        self.acsUserID = acsUserID
        self.isSynced = isSynced
        self.errors = errors
        self.warnings = warnings
    }
}
