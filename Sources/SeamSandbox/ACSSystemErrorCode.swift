/// The `acs_system.errors[].error_code` values of Seam's spec, for `SandboxControls.setACSSystemConditions`.
///
/// `salto_ks_subscription_limit_exceeded` also appears by itself while a user of the site is in
/// that error (see `SandboxControls.setSubscriptionSlots`).
public enum ACSSystemErrorCode: String, Sendable, Codable, CaseIterable {
    case seamBridgeDisconnected = "seam_bridge_disconnected"
    case bridgeDisconnected = "bridge_disconnected"
    case visionlineInstanceUnreachable = "visionline_instance_unreachable"
    case saltoKSSubscriptionLimitExceeded = "salto_ks_subscription_limit_exceeded"
    case insufficientPermissions = "insufficient_permissions"
    case acsSystemDisconnected = "acs_system_disconnected"
    case accountDisconnected = "account_disconnected"
    case saltoKSCertificationExpired = "salto_ks_certification_expired"
    case providerServiceUnavailable = "provider_service_unavailable"

    var defaultMessage: String {
        switch self {
        case .seamBridgeDisconnected: "Seam cannot communicate with Seam Bridge."
        case .bridgeDisconnected: "Seam cannot communicate with Seam Bridge."
        case .visionlineInstanceUnreachable: "Seam Bridge cannot reach the Visionline instance."
        case .saltoKSSubscriptionLimitExceeded: "The maximum number of users allowed for the site has been reached."
        case .insufficientPermissions: "Seam's integration user lacks permissions on the access system."
        case .acsSystemDisconnected: "The access control system has been disconnected."
        case .accountDisconnected: "The account's login credentials are invalid."
        case .saltoKSCertificationExpired: "The access control system has lost its Salto KS certification."
        case .providerServiceUnavailable: "The access control system provider's service is temporarily unavailable."
        }
    }
}
