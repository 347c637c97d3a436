/// One line of `keybatch export`: an ACS user as Seam shows it (or, for `missing_in_seam` and
/// `--from-state`, as the state file remembers it), with the stays it holds and its drift
/// against the state.
public struct ExportRow: Sendable, Equatable {
    /// The stays the state says the user holds (one guest's, on one site); empty without a state.
    public var reservationIDs: [String]
    public var acsSystemID: String
    public var listingIDs: [String]
    public var guestEmail: String
    /// The user's name as Salto KS staff see it.
    public var fullName: String
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

    public init(reservationIDs: [String], acsSystemID: String, listingIDs: [String] = [], guestEmail: String = "", fullName: String = "",
                schedule: AccessSchedule? = nil,
                accessGroupIDs: [String] = [], acsCredentialIDs: [String] = [], credentialSynced: Bool? = nil, isSubscribed: Bool? = nil,
                pendingMutations: [String] = [], errors: [String] = [], warnings: [String] = [], userIdentityID: String = "",
                acsUserID: String = "", drift: DriftKind? = nil) {
        self.reservationIDs = reservationIDs.sorted()
        self.acsSystemID = acsSystemID
        self.listingIDs = listingIDs.sorted()
        self.guestEmail = guestEmail
        self.fullName = fullName
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
        "reservation_ids", "acs_system_id", "listing_ids", "guest_email", "full_name", "starts_at", "ends_at", "acs_access_group_ids",
        "acs_credential_ids", "credential_synced", "is_subscribed", "pending_mutations", "errors", "warnings",
        "user_identity_id", "acs_user_id", "drift",
    ]

    /// The fields in `header`'s order; lists are `;`-separated, unknown booleans empty.
    public var fields: [String] {
        func flag(_ value: Bool?) -> String { value.map { $0 ? "true" : "false" } ?? "" }
        return [
            reservationIDs.joined(separator: ";"), acsSystemID, listingIDs.joined(separator: ";"), guestEmail, fullName,
            schedule?.startsAt.iso8601 ?? "", schedule?.endsAt.iso8601 ?? "",
            accessGroupIDs.sorted().joined(separator: ";"), acsCredentialIDs.sorted().joined(separator: ";"), flag(credentialSynced),
            flag(isSubscribed), pendingMutations.joined(separator: ";"), errors.joined(separator: ";"), warnings.joined(separator: ";"),
            userIdentityID, acsUserID, drift?.rawValue ?? "",
        ]
    }

    /// Sorted by system, guest, then ACS user.
    static func inOrder(_ lhs: ExportRow, _ rhs: ExportRow) -> Bool {
        (lhs.acsSystemID, lhs.guestEmail, lhs.acsUserID) < (rhs.acsSystemID, rhs.guestEmail, rhs.acsUserID)
    }
}
