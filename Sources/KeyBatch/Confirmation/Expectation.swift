/// What a row that Seam accepted should show once the Salto KS site has applied it.
public enum Expectation: Sendable, Hashable {
    /// Provisioned or updated: the ACS user without pending mutations or errors, the key issued.
    case present(acsUserID: String, acsCredentialID: String, acsSystemID: String)
    /// Revoked: the ACS user gone.
    case absent(acsUserID: String, acsSystemID: String)

    public var acsUserID: String {
        switch self {
        case .present(let id, _, _), .absent(let id, _): id
        }
    }

    public var acsSystemID: String {
        switch self {
        case .present(_, _, let system), .absent(_, let system): system
        }
    }

    var acsCredentialID: String? {
        if case .present(_, let credential, _) = self { return credential }
        return nil
    }
}
