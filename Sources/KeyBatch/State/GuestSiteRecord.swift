/// What the state file knows of one guest's ACS user on one site: the ids Seam holds (user,
/// key, identity), the schedule and groups it was last given, any create announced and not
/// resolved, what the Salto KS site has yet to confirm, and the users of the old
/// one-user-per-reservation model still to retire.
public struct GuestSiteRecord: Sendable, Hashable {
    public var site: GuestSite
    public var keys: ProvisionedKeys
    /// A create that was announced but whose id was never recorded; `accessGroups`: memberships
    /// the state cannot vouch for (the site rolled them back), read from Seam before any change.
    public var pendingCreate: ProvisioningStep?
    /// What the site has yet to confirm of the last change: `update` (the user holds its schedule,
    /// groups and key) or `revoke` (the user is gone); nil when Seam showed it done.
    public var awaiting: ActionKind?
    /// The Seam error code of a site refusal of this user: the next run deletes it and makes it again.
    public var refusal: String?
    /// Other ACS users of this guest on this site (made by an earlier KeyBatch or the guide's loop,
    /// one per stay): deleted once the kept user is confirmed, never before.
    public var retired: [RetiredUser]

    public init(site: GuestSite, keys: ProvisionedKeys = ProvisionedKeys(), pendingCreate: ProvisioningStep? = nil,
                awaiting: ActionKind? = nil, refusal: String? = nil, retired: [RetiredUser] = []) {
        self.site = site
        self.keys = keys
        self.pendingCreate = pendingCreate
        self.awaiting = awaiting
        self.refusal = refusal
        self.retired = retired
    }

    /// Whether Seam may hold the guest's ACS user on this site (a deletion not yet confirmed too).
    public var holdsUser: Bool { keys.acsUserID != nil || pendingCreate == .acsUser }

    /// A deletion Seam accepted and the site has not confirmed.
    public var awaitsDeletion: Bool { awaiting == .revoke && keys.acsUserID != nil }

    /// Seam's natural key of the guest's user on the site, once the identity is known.
    public var userKey: ACSUserKey? {
        keys.userIdentityID.map { ACSUserKey(userIdentityID: $0, acsSystemID: site.acsSystemID) }
    }

    /// What to ask Seam to show for the change this record awaits.
    public var expectation: Expectation? {
        guard awaiting != nil, let acsUserID = keys.acsUserID else { return nil }
        if awaitsDeletion { return .absent(acsUserID: acsUserID, acsSystemID: site.acsSystemID) }
        guard let credential = keys.acsCredentialID else { return nil }
        return .present(acsUserID: acsUserID, acsCredentialID: credential, acsSystemID: site.acsSystemID,
                        accessGroupIDs: Set(keys.accessGroupIDs), schedule: keys.schedule)
    }
}
