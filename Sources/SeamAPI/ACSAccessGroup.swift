/// An access group (a preconfigured set of entrances); Salto KS groups have
/// `externalType == "salto_ks_access_group"`.
public struct ACSAccessGroup: SeamResource, Equatable {
    public static let singleKey = "acs_access_group"
    public static let listKey = "acs_access_groups"
    public static let saltoKSExternalType = "salto_ks_access_group"

    public var acsAccessGroupID: String
    public var acsSystemID: String?
    public var name: String?
    public var externalType: String?

    public init(acsAccessGroupID: String, acsSystemID: String? = nil, name: String? = nil, externalType: String? = nil) {
        self.acsAccessGroupID = acsAccessGroupID
        self.acsSystemID = acsSystemID
        self.name = name
        self.externalType = externalType
    }

    enum CodingKeys: String, CodingKey {
        case acsAccessGroupID = "acs_access_group_id"
        case acsSystemID = "acs_system_id"
        case name
        case externalType = "external_type"
    }
}
