/// What a revocation did: the keys that remain (the identity) and the ids it deleted, which the
/// results file shows so an operator can see what was taken away.
public struct Revocation: Sendable, Hashable {
    public var keys: ProvisionedKeys
    public var deletedACSUserID: String?
    public var deletedCredentialID: String?

    public init(keys: ProvisionedKeys, deletedACSUserID: String?, deletedCredentialID: String?) {
        self.keys = keys
        self.deletedACSUserID = deletedACSUserID
        self.deletedCredentialID = deletedCredentialID
    }

    /// Keys for the results file: the identity, with the deleted ACS user and credential.
    public var reported: ProvisionedKeys {
        ProvisionedKeys(userIdentityID: keys.userIdentityID, acsUserID: deletedACSUserID, acsCredentialID: deletedCredentialID)
    }
}
