/// What tonight's run does with one row, decided before any call is made. Each case carries what
/// carrying it out needs, so nothing downstream looks anything up again or unwraps an optional.
public enum PlannedAction: Sendable, Equatable {
    /// Nothing to send or record: the row is invalid, expired, deferred or unchanged.
    case none(ResultStatus)
    /// Nothing to send, but the state learns where the stay stands (a stay the guest's user
    /// already covers, a new later visit, a cancellation of a stay that never had access).
    case record(reservationID: String, Stay?, StayRole)
    /// The row follows the work of its guest's sites (its own first, then any site it was
    /// provisioned on before, which its access leaves): its status comes from `role` once
    /// that work is done and, where the row claims access, confirmed. `stay` is nil for a
    /// reservation only the state knows (`--sync`).
    case site(reservationID: String, [SitePlan], StayRole, Stay?)

    /// The `action` column of results and plan files.
    public var kind: ActionKind {
        switch self {
        case .none, .record: .none
        case .site(_, let plans, _, _): plans.first(where: \.sends)?.kind ?? .none
        }
    }

    /// Whether carrying it out calls Seam.
    public var sends: Bool {
        if case .site(_, let plans, _, _) = self { return plans.contains(where: \.sends) }
        return false
    }

    /// The status a row gets when the action succeeds (and Seam confirms it).
    public var successStatus: ResultStatus {
        switch self {
        case .none(let status): status
        case .record(_, _, let role): role.statusUnchanged
        case .site(_, let plans, let role, _):
            // A re-check of an earlier run's change: that run had already settled the stay.
            if plans.first?.kind == .confirm, case .current = role { .provisioned } else { role.statusDone }
        }
    }

    /// The results' message for a row whose action is not an error: which drift a repair mends,
    /// or which visit holds a deferred stay's user.
    public var note: String? {
        switch self {
        case .none: nil
        case .record(_, _, let role): role.note
        case .site(_, let plans, let role, _): plans.compactMap(\.note).first ?? role.note
        }
    }

    /// The reservation this action concerns, for the journal.
    var reservationID: String? {
        switch self {
        case .none: nil
        case .record(let id, _, _): id
        case .site(let id, _, _, _): id
        }
    }
}
