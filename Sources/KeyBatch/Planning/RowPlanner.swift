/// A row's action, from its place in the run's `SiteBook`. Pure.
public struct RowPlanner: Sendable {
    public var book: SiteBook
    public var hasState: Bool

    public init(book: SiteBook, hasState: Bool) {
        self.book = book
        self.hasState = hasState
    }

    /// - Parameters:
    ///   - record: the state's record of the row's reservation, if any.
    public func decide(_ row: ValidatedRow, listing: Listing?, record: StateRecord?) -> PlannedAction {
        let reservation: Reservation
        switch row.verdict {
        case .invalid:
            return .none(.invalid)
        case .ready(let ready):
            guard listing != nil else { return .none(.invalid) }
            reservation = ready
        case .expired(let expired):
            guard listing != nil else { return .none(.expired) }
            reservation = expired
        }
        guard let listing, let entry = book.entries[reservation.reservationID] else { return .none(.invalid) }
        if case .expired(false) = entry.role { return .none(.expired) }
        let stay = Stay(reservation, at: listing)
        let plans = book.plans(for: entry)
        if plans.contains(where: \.sends) { return .site(reservationID: reservation.reservationID, plans, entry.role, stay) }
        // The site needs no call: the row only says where it stands, and the state learns it.
        let status = entry.role.statusUnchanged
        guard hasState, let recordStatus = entry.role.recordStatus else { return .none(status) }
        if let record, record.status == recordStatus, record.fingerprint == Fingerprint(reservation, listing: listing) {
            return .none(status)
        }
        return .record(reservationID: reservation.reservationID, stay, entry.role, keys: plans.first?.record?.keys ?? ProvisionedKeys())
    }

    /// The action for a reservation only the state knows, dropped by `--sync`.
    public func decide(dropped record: StateRecord) -> PlannedAction {
        guard let entry = book.entries[record.reservationID] else { return .none(.unchanged) }
        let plans = book.plans(for: entry)
        if plans.contains(where: \.sends) { return .site(reservationID: record.reservationID, plans, entry.role, nil) }
        return .record(reservationID: record.reservationID, nil, entry.role, keys: plans.first?.record?.keys ?? ProvisionedKeys())
    }
}
