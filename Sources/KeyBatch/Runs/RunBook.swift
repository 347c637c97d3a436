/// A run's whole input, read once before any call, with the plan of every guest on every site.
///
/// The one-user-per-guest-and-site model needs all of a guest's stays before it can say what
/// their user should hold, and a guest's rows may lie anywhere in the file, so `plan` and
/// `provision` read the file to the end first. The rows are kept (a few hundred bytes each) to
/// be planned and written in input order afterwards; the state is read in two queries.
struct RunBook: Sendable {
    var rows: [ValidatedRow]
    var book: SiteBook
    var planner: RowPlanner
    /// The state's record of each reservation it knows.
    var records: [String: StateRecord]
    /// `--sync`'s decision, when asked for.
    var sync: SyncRevocations?

    static func read(_ stream: ReservationStream, catalog: ListingCatalog, state: StateStore?, options: ProvisioningOptions,
                     now: Timestamp) throws -> RunBook {
        var rows: [ValidatedRow] = []
        var stays: [Stay] = []
        while let row = try stream.next() {
            if let reservation = row.reservation, let listing = catalog[reservation.listingID] {
                stays.append(Stay(reservation, at: listing))
            }
            rows.append(row)
        }
        let seen = stream.reservationIDs
        let records = Dictionary(try state?.allRecords().map { ($0.reservationID, $0) } ?? [], uniquingKeysWith: { first, _ in first })
        var sync: SyncRevocations?
        if options.sync, state != nil {
            let active = records.values.filter(\.mayHoldAccess).sorted { $0.reservationID < $1.reservationID }
            sync = SyncRevocations(active: active, seen: seen, now: now, limit: options.revocationLimit(active: active.count))
        }
        let planner = SitePlanner(hasState: state != nil, cleanupExpired: options.cleanupExpired, joinGap: options.joinGap, now: now)
        let book = planner.book(stays: stays, records: records, sites: try state?.siteRecords() ?? [:], dropping: sync?.revokes ?? false,
                                seen: seen, listing: { catalog[$0] })
        return RunBook(rows: rows, book: book, planner: RowPlanner(book: book, hasState: state != nil), records: records, sync: sync)
    }

    /// The action for `row`.
    func decide(_ row: ValidatedRow, catalog: ListingCatalog) -> PlannedAction {
        let record = row.reservation.flatMap { records[$0.reservationID] }
        return planner.decide(row, listing: row.reservation.flatMap { catalog[$0.listingID] }, record: record)
    }

    /// The lookups the plan needs before anything is made: guests whose identity the state does not
    /// know, and per ACS system the guests whose user it does not know. Enough of either, and the
    /// workspace's identities, or the system's users, keys and groups, are listed at once rather
    /// than after the first few lookups (`IdentityDirectory`, `ACSSystemSweep`).
    var lookups: (identities: Int, users: [String: Int]) {
        var emails: Set<String> = []
        var users: [String: Int] = [:]
        for plan in book.plans.values where plan.sends {
            let keys = plan.record?.keys ?? ProvisionedKeys()
            if keys.userIdentityID == nil { emails.insert(plan.site.guestEmail) }
            if keys.acsUserID == nil || plan.record?.pendingCreate == .acsUser { users[plan.site.acsSystemID, default: 0] += 1 }
        }
        return (emails.count, users)
    }

    /// The ids a row shows when nothing is sent: its guest's user on its site, as the state knows it.
    func keys(of reservationID: String) -> ProvisionedKeys {
        guard let entry = book.entries[reservationID], let record = book.plans[entry.site]?.record else { return ProvisionedKeys() }
        return record.keys
    }
}
