/// What Seam shows of an ACS system: its type, and the errors and warnings that decide whether
/// rows on it can be provisioned at all.
public struct ACSSystemState: Sendable, Hashable {
    public static let saltoKSSite = "salto_ks_site"

    public var acsSystemID: String
    /// `external_type`; nil when Seam does not say (then the type is not held against it).
    public var externalType: String?
    public var errors: [SeamIssue]
    public var warnings: [SeamIssue]

    public init(acsSystemID: String, externalType: String?, errors: [SeamIssue] = [], warnings: [SeamIssue] = []) {
        self.acsSystemID = acsSystemID
        self.externalType = externalType
        self.errors = errors
        self.warnings = warnings
    }
}
