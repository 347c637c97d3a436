/// What tonight's run does with one row, decided before any call is made. Each case carries what
/// carrying it out needs, so nothing downstream looks anything up again or unwraps an optional.
public indirect enum PlannedAction: Sendable, Equatable {
    /// Nothing to send: the row is invalid, expired, or already as it should be.
    case none(ResultStatus)
    /// Bring Seam to what the stay asks for.
    case provision(ProvisionKind, Stay, StateKnowledge)
    /// The guest's email or the listing's ACS system changed: the old ACS user (on the old
    /// identity or system) is deleted, then the stay is provisioned afresh.
    case replace(Stay, old: StateRecord)
    /// A cancelled reservation (or an early departure): its key goes.
    case revoke(Stay, StateKnowledge)
    /// Check-out has passed and `--cleanup-expired` asks for its ACS user to go.
    case cleanup(Stay, StateKnowledge)
    /// `--sync`: a reservation the state holds and tonight's file no longer lists.
    case revokeAbsent(StateRecord)
    /// An earlier run's change that the Salto KS site had not confirmed: only re-checked.
    case confirm(StateRecord)
    /// `--verify`: Seam differs from what the state recorded for a row that is otherwise
    /// unchanged (staff changed it in Seam's console, the site refused or lost it); the action
    /// that mends the drift, built from what Seam showed, not from the state.
    case repair(DriftKind, PlannedAction)

    public enum ProvisionKind: Sendable, Hashable {
        case create
        case resume
        case update
    }

    /// The `action` column of results and plan files.
    public var kind: ActionKind {
        switch self {
        case .none: .none
        case .provision(.create, _, _): .create
        case .provision(.resume, _, _): .resume
        case .provision(.update, _, _): .update
        case .replace: .replace
        case .revoke, .revokeAbsent: .revoke
        case .cleanup: .cleanup
        case .confirm: .confirm
        case .repair: .repair
        }
    }

    /// The status a row gets when the action succeeds.
    public var successStatus: ResultStatus {
        switch self {
        case .none(let status): status
        case .provision(.update, _, _): .updated
        case .provision, .replace: .provisioned
        case .revoke, .cleanup, .revokeAbsent: .revoked
        case .confirm(let record):
            switch record.awaiting {
            case .update: .updated
            case .revoke, .cleanup: .revoked
            default: .provisioned
            }
        case .repair(_, let mend): mend.successStatus
        }
    }

    /// The results' message for a row whose action is not an error: which drift a repair mends.
    public var note: String? {
        if case .repair(let drift, _) = self { return "repair: \(drift.rawValue)" }
        return nil
    }

    /// The reservation this action concerns, for the journal.
    var reservationID: String? {
        switch self {
        case .none: nil
        case .provision(_, let stay, _), .replace(let stay, _), .revoke(let stay, _), .cleanup(let stay, _): stay.reservationID
        case .revokeAbsent(let record), .confirm(let record): record.reservationID
        case .repair(_, let mend): mend.reservationID
        }
    }
}
