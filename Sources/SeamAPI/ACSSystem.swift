/// An access control system; a Salto KS site has `externalType == "salto_ks_site"`.
public struct ACSSystem: SeamResource, Equatable {
    public static let singleKey = "acs_system"
    public static let listKey = "acs_systems"
    public static let saltoKSExternalType = "salto_ks_site"

    public var acsSystemID: String
    public var name: String?
    public var externalType: String?
    public var warnings: [SeamNotice]?
    public var errors: [SeamNotice]?

    public init(
        acsSystemID: String,
        name: String? = nil,
        externalType: String? = nil,
        warnings: [SeamNotice]? = nil,
        errors: [SeamNotice]? = nil
    ) {
        self.acsSystemID = acsSystemID
        self.name = name
        self.externalType = externalType
        self.warnings = warnings
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case acsSystemID = "acs_system_id"
        case name
        case externalType = "external_type"
        case warnings
        case errors
    }
}
