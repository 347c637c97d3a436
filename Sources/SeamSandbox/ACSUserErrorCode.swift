/// The `acs_user.errors[].error_code` values of Seam's spec.
///
/// The sandbox produces `failed_to_create_on_acs_system`, `failed_to_update_on_acs_system`,
/// `failed_to_delete_on_acs_system` (site refusals) and `salto_ks_subscription_limit_exceeded`
/// (a full site) by itself; `SandboxConsole.addError` can put a user into any of them.
public enum ACSUserErrorCode: String, Sendable, Codable, CaseIterable {
    case deletedExternally = "deleted_externally"
    case saltoKSSubscriptionLimitExceeded = "salto_ks_subscription_limit_exceeded"
    case failedToCreateOnACSSystem = "failed_to_create_on_acs_system"
    case failedToUpdateOnACSSystem = "failed_to_update_on_acs_system"
    case failedToDeleteOnACSSystem = "failed_to_delete_on_acs_system"
    case latchConflictWithResidentUser = "latch_conflict_with_resident_user"

    /// The message the sandbox writes when no other is given.
    var defaultMessage: String {
        switch self {
        case .deletedExternally: "The user was deleted from the access system outside of Seam."
        case .saltoKSSubscriptionLimitExceeded: "The user could not be subscribed on Salto KS because the site's subscription limit has been exceeded."
        case .failedToCreateOnACSSystem: "The access system refused to create the user."
        case .failedToUpdateOnACSSystem: "The access system refused to update the user."
        case .failedToDeleteOnACSSystem: "The access system refused to delete the user."
        case .latchConflictWithResidentUser: "The user was created from the Seam API but also exists on Latch Mission Control."
        }
    }
}
