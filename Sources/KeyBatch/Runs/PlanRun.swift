import Logging

/// `keybatch plan`: what `provision` would do, row by row, without a single call to Seam and
/// without writing the state file: the file is diffed against the state, and each row's action
/// is written out and counted.
public struct PlanRun: Sendable {
    public var input: InputOptions
    public var resultsPath: String?
    public var options: ProvisioningOptions
    public var state: StateStore?
    public var format: ResultsFormat

    public init(input: InputOptions, resultsPath: String?, options: ProvisioningOptions, state: StateStore?,
                format: ResultsFormat = ResultsFormat()) {
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
    }

    public func run(logger: Logger) throws -> Report {
        let (catalog, stream) = try input.open(logger: logger)
        let writer = try resultsPath.map { try ResultsWriter(path: $0, layout: .plan, format: format) }
        let planner = Planner(hasState: state != nil, cleanupExpired: options.cleanupExpired)
        var report = Report()

        func emit(_ row: ResultRow) throws {
            report.summary.record(row)
            report.actions[row.action ?? .none, default: 0] += 1
            try writer?.write(row)
        }

        while let row = try stream.next() {
            let reservation = row.reservation
            let record = try reservation.flatMap { try state?.record(for: $0.reservationID) }
            let action = planner.decide(row, record: record, listing: reservation.flatMap { catalog[$0.listingID] })
            var result = ResultRow(validated: row)
            if case .none(let status) = action {
                result.status = status
            }
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
        return report
    }
}
