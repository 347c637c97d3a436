/// What the provisioner needs to know of an ACS user.
public struct ACSUserSnapshot: Sendable, Hashable {
    public var acsUserID: String
    public var schedule: AccessSchedule?

    public init(acsUserID: String, schedule: AccessSchedule?) {
        self.acsUserID = acsUserID
        self.schedule = schedule
    }
}
