/// The Seam resources a reservation has, as far as this run knows; filled in step by step, so a
/// row that fails half-way still reports (and the journal still keeps) what was created.
public struct ProvisionedKeys: Sendable, Hashable {
    public var userIdentityID: String?
    public var acsUserID: String?
    public var accessGroupIDs: [String] = []
    public var acsCredentialID: String?
    /// The schedule the ACS user has in Seam.
    public var schedule: AccessSchedule?

    public init(userIdentityID: String? = nil, acsUserID: String? = nil, accessGroupIDs: [String] = [],
                acsCredentialID: String? = nil, schedule: AccessSchedule? = nil) {
        self.userIdentityID = userIdentityID
        self.acsUserID = acsUserID
        self.accessGroupIDs = accessGroupIDs
        self.acsCredentialID = acsCredentialID
        self.schedule = schedule
    }
}
