/// What a row that Seam accepted should show once the Salto KS site has applied it.
public enum Expectation: Sendable, Hashable {
    /// Provisioned or updated: the ACS user without pending mutations or errors, in the access
    /// groups and with the schedule the row set, the key issued.
    case present(acsUserID: String, acsCredentialID: String, acsSystemID: String, accessGroupIDs: Set<String> = [], schedule: AccessSchedule? = nil)
    /// Revoked: the ACS user gone.
    case absent(acsUserID: String, acsSystemID: String)

    public var acsUserID: String {
        switch self {
        case .present(let id, _, _, _, _), .absent(let id, _): id
        }
    }

    public var acsSystemID: String {
        switch self {
        case .present(_, _, let system, _, _), .absent(_, let system): system
        }
    }

    var acsCredentialID: String? {
        if case .present(_, let credential, _, _, _) = self { return credential }
        return nil
    }

    /// The access schedule the ACS user must have, when the row set one.
    var schedule: AccessSchedule? {
        if case .present(_, _, _, _, let schedule) = self { return schedule }
        return nil
    }

    /// The access groups the ACS user must be in (empty for a revocation).
    var accessGroupIDs: Set<String> {
        if case .present(_, _, _, let groups, _) = self { return groups }
        return []
    }
}
