/// One line of `keybatch export`: an ACS user as Seam shows it (or, for `missing_in_seam` and
/// `--from-state`, as the state file remembers it), with its drift against the state.
public struct ExportRow: Sendable, Equatable {
    public var reservationID: String
    public var acsSystemID: String
    public var listingID: String
    public var guestEmail: String
    public var schedule: AccessSchedule?
    public var accessGroupIDs: [String]
    public var acsCredentialIDs: [String]
    /// Every key on the user synced to the guest's phones; nil without a key (or from the state).
    public var credentialSynced: Bool?
    public var isSubscribed: Bool?
    public var pendingMutations: [String]
    public var errors: [String]
    public var warnings: [String]
    public var userIdentityID: String
    public var acsUserID: String
    /// Nil without a state file to compare with.
    public var drift: DriftKind?

    public init(reservationID: String, acsSystemID: String, listingID: String = "", guestEmail: String = "", schedule: AccessSchedule? = nil,
                accessGroupIDs: [String] = [], acsCredentialIDs: [String] = [], credentialSynced: Bool? = nil, isSubscribed: Bool? = nil,
                pendingMutations: [String] = [], errors: [String] = [], warnings: [String] = [], userIdentityID: String = "",
                acsUserID: String = "", drift: DriftKind? = nil) {
        self.reservationID = reservationID
        self.acsSystemID = acsSystemID
        self.listingID = listingID
        self.guestEmail = guestEmail
        self.schedule = schedule
        self.accessGroupIDs = accessGroupIDs
        self.acsCredentialIDs = acsCredentialIDs
        self.credentialSynced = credentialSynced
        self.isSubscribed = isSubscribed
        self.pendingMutations = pendingMutations
        self.errors = errors
        self.warnings = warnings
        self.userIdentityID = userIdentityID
        self.acsUserID = acsUserID
        self.drift = drift
    }

    public static let header = [
        "reservation_id", "acs_system_id", "listing_id", "guest_email", "starts_at", "ends_at", "acs_access_group_ids",
        "acs_credential_ids", "credential_synced", "is_subscribed", "pending_mutations", "errors", "warnings",
        "user_identity_id", "acs_user_id", "drift",
    ]

    /// The fields in `header`'s order; lists are `;`-separated, unknown booleans empty.
    public var fields: [String] {
        func flag(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? "" }
        return [
            reservationID, acsSystemID, listingID, guestEmail, schedule?.startsAt.iso8601 ?? "", schedule?.endsAt.iso8601 ?? "",
            accessGroupIDs.sorted().joined(separator: ";"), acsCredentialIDs.sorted().joined(separator: ";"), flag(credentialSynced),
            flag(isSubscribed), pendingMutations.joined(separator: ";"), errors.joined(separator: ";"), warnings.joined(separator: ";"),
            userIdentityID, acsUserID, drift?.rawValue ?? "",
        ]
    }

    /// Sorted by reservation, then ACS user.
    static func inOrder(_ lhs: ExportRow, _ rhs: ExportRow) -> Bool {
        (lhs.reservationID, lhs.acsUserID) < (rhs.reservationID, rhs.acsUserID)
    }
}
