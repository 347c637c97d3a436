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
        let writer = try resultsPath.map { try ResultsWriter(path: $0, layout: .plan, format: format) }
        let planner = Planner(hasState: state != nil, cleanupExpired: options.cleanupExpired)
        var report = Report()
        let verification = options.verify && state != nil ? operations.map { VerificationSweep(operations: $0) } : nil

        func emit(_ row: ResultRow) throws {
            report.summary.record(row)
            report.actions[row.action ?? .none, default: 0] += 1
            try writer?.write(row)
        }

        while let row = try stream.next() {
            let reservation = row.reservation
            let record = try reservation.flatMap { try state?.record(for: $0.reservationID) }
            let listing = reservation.flatMap { catalog[$0.listingID] }
            var action = planner.decide(row, record: record, listing: listing)
            var result = ResultRow(validated: row)
            if let verification, let operations, let record, planner.asksSeam(action, record: record) {
                let (seen, calls) = await operations.measuringCalls { await verification.observe(record) }
                report.httpCalls += calls
                switch seen {
                case .success(let seen):
                    action = planner.decide(row, record: record, listing: listing, seam: seen)
                case .failure(let failure):
                    // Seam could not be read: the plan cannot say, and says why.
                    result.errorCode = failure.code
                    result.errorMessage = failure.message
                    if failure.isUnauthorized || failure.isUnreachable { throw failure }
                }
            }
            if case .none(let status) = action {
                result.status = status
            }
            if let note = action.note { result.errorMessage = note }
            result.action = action.kind
            if let record {
                result.userIdentityID = record.keys.userIdentityID
                result.acsUserID = record.keys.acsUserID
                result.acsCredentialID = record.keys.acsCredentialID
            }
            try emit(result)
        }

        if options.sync, let state {
            let sync = SyncRevocations(active: try state.activeRecords(), seen: stream.reservationIDs, now: input.now,
                                       limit: options.revocationLimit(active: try state.activeCount()))
            report.syncBlocked = sync.blockedReason
            for record in sync.absent {
                var result = ResultRow(identity: record.identity,
                                       status: .valid, userIdentityID: record.keys.userIdentityID, acsUserID: record.keys.acsUserID,
                                       acsCredentialID: record.keys.acsCredentialID)
                result.action = report.syncBlocked != nil ? ActionKind.none : SyncRevocations.action(for: record).kind
                if let blocked = report.syncBlocked {
                    result.errorCode = .run(.revocationGuard)
                    result.errorMessage = blocked
                }
                try emit(result)
            }
        }
        try writer?.finish()
        if let verification, let records = try? state?.allRecords() {
            report.strangers = await verification.strangers(among: records)
        }
        return report
    }
}
