/// Seam's natural key of an ACS user: the user identity and the ACS system. Seam links an
/// identity to one ACS user per system and addresses a user by this pair (`acs/users/get` with
/// `user_identity_id` + `acs_system_id`), so it is how a user is matched to a guest's site when
/// its id is not known (a guest whose access ended, a user the state did not record). One type,
/// so the pair is never spelt as a `"system/identity"` string again.
public struct ACSUserKey: Hashable, Sendable {
    public var userIdentityID: String
    public var acsSystemID: String

    public init(userIdentityID: String, acsSystemID: String) {
        self.userIdentityID = userIdentityID
        self.acsSystemID = acsSystemID
    }
}

extension ACSUserState {
    /// Its natural key on `acsSystemID` (the system it was listed from), when Seam shows its identity.
    public func key(on acsSystemID: String) -> ACSUserKey? {
        userIdentityID.map { ACSUserKey(userIdentityID: $0, acsSystemID: acsSystemID) }
    }
}
