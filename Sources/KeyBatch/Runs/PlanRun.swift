import Logging

/// `keybatch plan`: what `provision` would do, row by row, without writing the state file: the
/// file is diffed against the state, and each row's action is written out and counted. Without
/// `--verify` it makes no call to Seam; with it, it reads Seam in bulk (as `provision --verify`
/// does) and shows the repairs, without making them.
public struct PlanRun: Sendable {
    public var input: InputOptions
    public var resultsPath: String?
    public var options: ProvisioningOptions
    public var state: StateStore?
    public var format: ResultsFormat
    /// Seam, for `--verify` only.
    public var operations: (any SeamOperations)?

    public init(input: InputOptions, resultsPath: String?, options: ProvisioningOptions, state: StateStore?,
                format: ResultsFormat = ResultsFormat(), operations: (any SeamOperations)? = nil) {
        self.operations = operations
        self.input = input
        self.resultsPath = resultsPath
        self.options = options
        self.state = state
        self.format = format
    }

    public struct Report: Sendable {
        public var summary = RunSummary()
        public var actions: [ActionKind: Int] = [:]
        /// Set when `--sync` would be stopped by its guard.
        public var syncBlocked: String?
        /// `--verify`: ACS users the state does not know, left alone (`unknown_to_state`).
        public var strangers: [ACSUserState] = []
        public var httpCalls = 0
    }

    public func run(logger: Logger) async throws -> Report {
        let (catalog, stream) = try input.open(logger: logger)
        let book = try RunBook.read(stream, catalog: catalog, state: state, options: options, now: input.now)
        let writer = try resultsPath.map { try ResultsWriter(path: $0, layout: .plan, format: format) }
        var report = Report()
        let verification = options.verify && state != nil ? operations.map { VerificationSweep(operations: $0) } : nil
        var verified: [GuestSite: SitePlan] = [:]
        let sitePlanner = SitePlanner(hasState: state != nil, cleanupExpired: options.cleanupExpired, joinGap: options.joinGap, now: input.now)

        func emit(_ row: ResultRow) throws {
            report.summary.record(row)
            report.actions[row.action ?? .none, default: 0] += 1
            try writer?.write(row)
        }

        for row in book.rows {
            var action = book.decide(row, catalog: catalog)
            var result = ResultRow(validated: row)
            let entry = row.reservation.flatMap { book.book.entries[$0.reservationID] }
            if let verification, let operations, let entry, !action.sends, entry.role.isVerified,
               let plan = book.book.plans[entry.site], plan.action == .none, let record = plan.record,
               let reservation = row.reservation, let listing = catalog[reservation.listingID] {
                if verified[entry.site] == nil {
                    let (seen, calls) = await operations.measuringCalls { await verification.observe(record) }
                    report.httpCalls += calls
                    switch seen {
                    case .success(let seen):
                        verified[entry.site] = sitePlanner.repair(plan, seam: seen) ?? plan
                    case .failure(let failure):
                        // Seam could not be read: the plan cannot say, and says why.
                        result.errorCode = failure.code
                        result.errorMessage = failure.message
                        if failure.isUnauthorized || failure.isUnreachable || failure.isUnanswered { throw failure }
                    }
                }
                if let repaired = verified[entry.site], repaired.sends {
                    action = .site(reservationID: reservation.reservationID, [repaired], entry.role, Stay(reservation, at: listing))
                }
            }
            if case .none(let status) = action {
                result.status = status
            } else if !action.sends {
                result.status = action.successStatus
            }
            if let note = action.note { result.errorMessage = note }
            result.action = action.kind
            if let reservation = row.reservation {
                let keys = book.keys(of: reservation.reservationID)
                result.userIdentityID = keys.userIdentityID
                result.acsUserID = keys.acsUserID
                result.acsCredentialID = keys.acsCredentialID
            }
            try emit(result)
        }

        if let sync = book.sync {
            report.syncBlocked = sync.blockedReason
            for record in sync.absent {
                let keys = book.keys(of: record.reservationID)
                var result = ResultRow(identity: record.identity, status: .valid, userIdentityID: keys.userIdentityID, acsUserID: keys.acsUserID,
                                       acsCredentialID: keys.acsCredentialID)
                result.action = report.syncBlocked != nil ? ActionKind.none : book.planner.decide(dropped: record).kind
                if let blocked = report.syncBlocked {
                    result.errorCode = .run(.revocationGuard)
                    result.errorMessage = blocked
                }
                try emit(result)
            }
        }
        try writer?.finish()
        if let verification, let records = try? state?.siteRecords() {
            report.strangers = await verification.strangers(among: Array(records.values))
        }
        return report
    }
}
