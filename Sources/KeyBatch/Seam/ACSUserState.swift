/// What Seam shows of an ACS user right now: whether its changes have reached the Salto KS site.
///
/// Seam answers a create or update at once and pushes it to the site later; until then the user
/// carries a pending mutation (`creating`, `updating_access_schedule`, …). A site that refuses
/// leaves an error (`failed_to_create_on_acs_system`, `salto_ks_subscription_limit_exceeded`, …).
public struct ACSUserState: Sendable, Hashable {
    public var acsUserID: String
    public var acsSystemID: String?
    public var fullName: String?
    public var userIdentityID: String?
    /// The access schedule Seam holds (for adoption: whether the stay's dates must be updated).
    public var schedule: AccessSchedule?
    public var pendingMutations: [String]
    public var errors: [SeamIssue]
    public var warnings: [String]
    /// The guest's email as Seam shows it on the user (for `export`).
    public var userIdentityEmail: String?
    /// Salto KS: whether the user holds one of the site's subscription slots (for `export`).
    public var isSubscribed: Bool?
    /// When Seam made it (ISO 8601, compared as text): the oldest of a guest's users is kept.
    public var createdAt: String?

    public init(acsUserID: String, acsSystemID: String? = nil, fullName: String? = nil, userIdentityID: String? = nil,
                schedule: AccessSchedule? = nil, pendingMutations: [String] = [], errors: [SeamIssue] = [], warnings: [String] = [],
                userIdentityEmail: String? = nil, isSubscribed: Bool? = nil, createdAt: String? = nil) {
        self.acsUserID = acsUserID
        self.acsSystemID = acsSystemID
        self.fullName = fullName
        self.userIdentityID = userIdentityID
        self.schedule = schedule
        self.pendingMutations = pendingMutations
        self.errors = errors
        self.warnings = warnings
        self.userIdentityEmail = userIdentityEmail
        self.isSubscribed = isSubscribed
        self.createdAt = createdAt
    }

    /// On the site as Seam last pushed it: no pending mutation, no error.
    public var isSettled: Bool { errors.isEmpty && pendingMutations.isEmpty }

    /// A deletion Seam accepted and has not finished (`being_deleted`, or a `deleting` mutation):
    /// such a user is on its way out and is never adopted.
    public var isBeingDeleted: Bool {
        warnings.contains { SeamCode($0) == .beingDeleted } || pendingMutations.contains("deleting")
    }
}
