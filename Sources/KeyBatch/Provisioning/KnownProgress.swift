/// What an earlier run recorded about one reservation, so this run skips the lookups and calls
/// that the record already answers.
///
/// Ids it holds are used as they are (and healed if Seam no longer knows them); ids it lacks are
/// always looked up by natural key before anything is created. `acsUserIntended` means an earlier
/// run announced an ACS user create and never recorded its result (it crashed, or the answer was
/// lost): the memberships it recorded cannot be trusted either, and a revocation must look too.
public struct KnownProgress: Sendable, Hashable {
    public var keys: ProvisionedKeys
    public var acsUserIntended: Bool
    /// Where these resources were made (the email and ACS system they were made for), which is
    /// where a revocation must look for them even if tonight's row says otherwise.
    public var location: RevocationTarget?

    public init(keys: ProvisionedKeys, acsUserIntended: Bool = false,
                location: RevocationTarget? = nil) {
        self.keys = keys
        self.location = location
        self.acsUserIntended = acsUserIntended
    }
}
