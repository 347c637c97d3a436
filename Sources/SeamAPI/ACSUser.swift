/// A user on one access control system (for Salto KS: one per reservation, holding the stay's
/// access schedule). Only the ids are required.
public struct ACSUser: SeamResource, Equatable {
    public static let singleKey = "acs_user"
    public static let listKey = "acs_users"

    public var acsUserID: String
    public var acsSystemID: String?
    public var userIdentityID: String?
    public var fullName: String?
    public var emailAddress: String?
    /// The email of the user identity it belongs to (the guest's app account), as Seam shows it.
    public var userIdentityEmailAddress: String?
    public var phoneNumber: String?
    public var accessSchedule: ACSAccessSchedule?
    public var isSuspended: Bool?
    public var saltoKSMetadata: SaltoKSUserMetadata?
    public var pendingMutations: [ACSPendingMutation]?
    public var warnings: [SeamNotice]?
    public var errors: [SeamNotice]?
    public var createdAt: String?

    public init(
        acsUserID: String,
        acsSystemID: String? = nil,
        userIdentityID: String? = nil,
        fullName: String? = nil,
        emailAddress: String? = nil,
        userIdentityEmailAddress: String? = nil,
        phoneNumber: String? = nil,
        accessSchedule: ACSAccessSchedule? = nil,
        isSuspended: Bool? = nil,
        saltoKSMetadata: SaltoKSUserMetadata? = nil,
        pendingMutations: [ACSPendingMutation]? = nil,
        warnings: [SeamNotice]? = nil,
        errors: [SeamNotice]? = nil,
        createdAt: String? = nil
    ) {
        self.acsUserID = acsUserID
        self.acsSystemID = acsSystemID
        self.userIdentityID = userIdentityID
        self.fullName = fullName
        self.emailAddress = emailAddress
        self.userIdentityEmailAddress = userIdentityEmailAddress
        self.phoneNumber = phoneNumber
        self.accessSchedule = accessSchedule
        self.isSuspended = isSuspended
        self.saltoKSMetadata = saltoKSMetadata
        self.pendingMutations = pendingMutations
        self.warnings = warnings
        self.errors = errors
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case acsUserID = "acs_user_id"
        case acsSystemID = "acs_system_id"
        case userIdentityID = "user_identity_id"
        case fullName = "full_name"
        case emailAddress = "email_address"
        case userIdentityEmailAddress = "user_identity_email_address"
        case phoneNumber = "phone_number"
        case accessSchedule = "access_schedule"
        case isSuspended = "is_suspended"
        case saltoKSMetadata = "salto_ks_metadata"
        case pendingMutations = "pending_mutations"
        case warnings
        case errors
        case createdAt = "created_at"
    }
}

extension ACSUser {
    /// Seam accepted a deletion the site has not finished: a `being_deleted` warning or a
    /// `deleting` pending mutation.
    public var isBeingDeleted: Bool {
        (warnings ?? []).contains { $0.code == "being_deleted" }
            || (pendingMutations ?? []).contains { $0.mutationCode == "deleting" }
    }
}
