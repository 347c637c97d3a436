/// What tonight's run does with one row, decided before any call is made.
public enum PlannedAction: Sendable, Equatable {
    /// Nothing to send: the row is invalid, expired, or already as it should be.
    case none(ResultStatus)
    /// Bring Seam to what the row asks for. `known` is what the state file says Seam holds;
    /// nil means there is no state file and every step is looked up.
    case provision(ProvisionKind, known: KnownProgress?)
    /// The guest's email or the listing's ACS system changed: the old ACS user (on the old
    /// identity or system) is deleted, then the reservation is provisioned afresh.
    case replace(old: StateRecord)
    /// A cancelled reservation, or one gone from the file under `--sync`.
    case revoke(known: KnownProgress?)
    /// Check-out has passed and `--cleanup-expired` asks for its ACS user to go.
    case cleanup(known: KnownProgress?)

    public enum ProvisionKind: String, Sendable {
        case create
        case resume
        case update
    }

    /// The `action` column of results and plan files.
    public var name: String {
        switch self {
        case .none: "none"
        case .provision(let kind, _): kind.rawValue
        case .replace: "replace"
        case .revoke: "revoke"
        case .cleanup: "cleanup"
        }
    }

    /// The status a row gets when the action succeeds.
    public var successStatus: ResultStatus {
        switch self {
        case .none(let status): status
        case .provision(.update, _): .updated
        case .provision, .replace: .provisioned
        case .revoke, .cleanup: .revoked
        }
    }
}
