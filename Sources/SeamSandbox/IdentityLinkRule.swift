/// What the sandbox answers to `acs/users/create` for a `user_identity_id` that already has an ACS
/// user on that `acs_system_id`.
///
/// Seam's docs say "User identities can be linked to one ACS user in each Access Control System",
/// and `acs/users/get`, `update` and `delete` address a user by `user_identity_id` + `acs_system_id`,
/// which only makes sense if that pair names one user. What real Seam does with a second user is
/// not documented, so the sandbox can play each plausible reading and a client can be tested under
/// all of them (issue 23). The default, `refuse`, enforces the documented rule.
///
/// An earlier user counts for as long as it exists in Seam: while its deletion is pending
/// (`being_deleted`) and after the site refused to create it (`failed_to_create_on_acs_system`),
/// since in both states it is still an ACS user linked to the identity. Users without an identity
/// never count.
public enum IdentityLinkRule: String, Sendable, Codable, CaseIterable {
    /// The second create is refused at once: HTTP 400 `user_identity_already_has_acs_user`, with
    /// the existing user's id in `error.data.acs_user_id`. Seam documents no error type for this;
    /// the name is the sandbox's own.
    case refuse
    /// A second user is created and stays linked (the sandbox's behaviour before issue 23).
    case allow
    /// Seam accepts the create (200, the user with a `creating` mutation); the site then refuses
    /// it like any other refused creation: the user settles into `errors[]`
    /// `failed_to_create_on_acs_system` after `ProviderBehavior.syncDelay`, and its credentials
    /// never become synced.
    case refuseOnSite = "refuse_on_site"
    /// The create succeeds and the identity silently moves to the new user: every earlier user of
    /// the identity on that system loses its `user_identity_id`, and so do its credentials, which
    /// drop out of the identity's view.
    case relink

    /// `error.type` of `refuse`'s answer.
    public static let refusalErrorType = "user_identity_already_has_acs_user"

    /// The rule a fresh sandbox (and `reset(includingControls: true)`) enforces.
    public static let `default` = IdentityLinkRule.refuse

    /// Reads a rule by name, in its JSON spelling (`refuse_on_site`) or its command-line one
    /// (`refuse-on-site`).
    public init?(name: String) {
        self.init(rawValue: name.replacingOccurrences(of: "-", with: "_"))
    }

    /// The command-line spelling: `refuse`, `allow`, `refuse-on-site`, `relink`.
    public var argumentName: String {
        rawValue.replacingOccurrences(of: "_", with: "-")
    }
}
