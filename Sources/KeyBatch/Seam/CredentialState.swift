/// What Seam shows of a credential right now: whether the key has been issued on the site.
public struct CredentialState: Sendable, Hashable {
    public var acsCredentialID: String
    public var acsUserID: String?
    /// A multi-phone-sync `mobile_key`: the guest's key (for adoption; unknown counts as yes).
    public var isMobileKey: Bool
    /// `is_latest_desired_state_synced_with_provider`; a missing field counts as not synced.
    public var isSynced: Bool
    public var errors: [SeamIssue]
    public var warnings: [String]

    public init(acsCredentialID: String, acsUserID: String? = nil, isMobileKey: Bool = true, isSynced: Bool, errors: [SeamIssue] = [],
                warnings: [String] = []) {
        self.acsCredentialID = acsCredentialID
        self.acsUserID = acsUserID
        self.isMobileKey = isMobileKey
        self.isSynced = isSynced
        self.errors = errors
        self.warnings = warnings
    }

    /// A deletion Seam accepted and has not finished (the `being_deleted` warning): such a key is
    /// on its way out and is never adopted.
    public var isBeingDeleted: Bool {
        warnings.contains { SeamCode($0) == .beingDeleted }
    }
}
