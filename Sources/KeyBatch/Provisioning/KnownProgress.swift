/// What an earlier run recorded about one reservation, so this run skips the lookups and calls
/// that the record already answers.
///
/// An `…Intended` flag means an earlier run announced a create and never recorded its result
/// (it crashed, or the answer was lost): the resource may exist, so it is looked up by its
/// natural key before anything is created.
public struct KnownProgress: Sendable, Hashable {
    public var keys: ProvisionedKeys
    public var acsUserIntended: Bool
    public var credentialIntended: Bool
    /// Where these resources were made (the email and ACS system they were made for), which is
    /// where a revocation must look for them even if tonight's row says otherwise.
    public var location: RevocationTarget?

    public init(keys: ProvisionedKeys, acsUserIntended: Bool = false, credentialIntended: Bool = false,
                location: RevocationTarget? = nil) {
        self.keys = keys
        self.location = location
        self.acsUserIntended = acsUserIntended
        self.credentialIntended = credentialIntended
    }
}
