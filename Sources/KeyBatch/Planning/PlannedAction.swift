/// What tonight's run does with one row, decided before any call is made. Each case carries what
/// carrying it out needs, so nothing downstream looks anything up again or unwraps an optional.
public enum PlannedAction: Sendable, Equatable {
    /// Nothing to send or record: the row is invalid, expired, deferred or unchanged.
    case none(ResultStatus)
    /// Nothing to send, but the state learns where the stay stands (a stay the guest's user
    /// already covers, a new later visit, a cancellation of a stay that never had access).
    case record(reservationID: String, Stay?, StayRole, keys: ProvisionedKeys)
    /// The row follows the work of its guest's sites (its own first, then any site it was
    /// provisioned on before, which its access leaves): its status comes from `role` once
    /// that work is done and, where the row claims access, confirmed. `stay` is nil for a
    /// reservation only the state knows (`--sync`).
    case site(reservationID: String, [SitePlan], StayRole, Stay?)
    /// A guest's site whose work no row of tonight's run started (its stays are gone from the file
    /// or over, or moved away): done without a results row of its own, after the rows.
    case siteOnly(SitePlan)

    /// The `action` column of results and plan files.
    public var kind: ActionKind {
        switch self {
        case .none, .record: .none
        case .site(_, let plans, _, _): plans.first(where: \.sends)?.kind ?? .none
        case .siteOnly(let plan): plan.kind
        }
    }

    /// Whether carrying it out calls Seam.
    public var sends: Bool {
        switch self {
        case .none, .record: false
        case .site(_, let plans, _, _): plans.contains(where: \.sends)
        case .siteOnly(let plan): plan.sends
        }
    }

    /// The status a row gets when the action succeeds (and Seam confirms it).
    public var successStatus: ResultStatus {
        switch self {
        case .none(let status): status
        case .record(_, _, let role, _): role.statusUnchanged
        case .site(_, let plans, let role, _):
            // A re-check of an earlier run's change: that run had already settled the stay.
            if plans.first?.kind == .confirm, case .current = role { .provisioned } else { role.statusDone }
        case .siteOnly(let plan):
            plan.goal == .remove ? .revoked : .updated
        }
    }

    /// The results' message for a row whose action is not an error: which drift a repair mends,
    /// or which visit holds a deferred stay's user.
    public var note: String? {
        switch self {
        case .none: nil
        case .record(_, _, let role, _): role.note
        case .site(_, let plans, let role, _): plans.compactMap(\.note).first ?? role.note
        case .siteOnly(let plan): plan.note
        }
    }

    /// The reservation this action concerns, for the journal.
    var reservationID: String? {
        switch self {
        case .none: nil
        case .record(let id, _, _, _): id
        case .site(let id, _, _, _): id
        case .siteOnly: nil
        }
    }
}
