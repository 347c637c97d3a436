/// The `acs_system.warnings[].warning_code` values of Seam's spec, for `SandboxControls.setACSSystemConditions`.
///
/// `salto_ks_subscription_limit_almost_reached` also appears by itself above 80% of the site's
/// subscription slots (see `SandboxControls.setSubscriptionSlots`).
public enum ACSSystemWarningCode: String, Sendable, Codable, CaseIterable {
    case saltoKSSubscriptionLimitAlmostReached = "salto_ks_subscription_limit_almost_reached"
    case timeZoneDoesNotMatchLocation = "time_zone_does_not_match_location"
    case setupRequired = "setup_required"
    case unknownIssueWithACSSystem = "unknown_issue_with_acs_system"

    var defaultMessage: String {
        switch self {
        case .saltoKSSubscriptionLimitAlmostReached: "The Salto KS site has exceeded 80% of its subscription slots."
        case .timeZoneDoesNotMatchLocation: "The access control system's time zone does not match its location."
        case .setupRequired: "The access control system requires additional setup."
        case .unknownIssueWithACSSystem: "Seam encountered an unexpected error while syncing the access control system."
        }
    }
}
