/// An ACS user of a guest on a site other than the one KeyBatch keeps: a user per stay made by an
/// earlier KeyBatch (or by the guide's loop). It still opens doors, so it is tracked until Seam
/// no longer has it; it is deleted only once the kept user is confirmed on the site with the
/// current visit, so the guest holds a working key at every moment.
public struct RetiredUser: Sendable, Hashable {
    public var acsUserID: String
    public var acsCredentialID: String?

    public init(acsUserID: String, acsCredentialID: String? = nil) {
        self.acsUserID = acsUserID
        self.acsCredentialID = acsCredentialID
    }
}
