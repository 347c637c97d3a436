/// `keybatch export`: what Seam holds on the listings' ACS systems, one row per ACS user, and,
/// with a state file, where it differs from what KeyBatch believes (`DriftJudge`).
///
/// Reads in bulk (`ACSSystemInventory`): pages of users and credentials and one call per access
/// group, through the same client, limiter and retries as `provision`. Rows are sorted, so the
/// whole export is held before it is written (about 1 KB per ACS user).
public struct ExportRun: Sendable {
    public var catalog: ListingCatalog
    /// The ACS systems to read: the listings' by default, or the ones named.
    public var acsSystemIDs: [String]
    public var state: StateStore?
    public var resultsPath: String
    public var format: ResultsFormat

    public init(catalog: ListingCatalog, acsSystemIDs: [String]? = nil, state: StateStore?, resultsPath: String,
                format: ResultsFormat = ResultsFormat()) {
        self.catalog = catalog
        self.acsSystemIDs = (acsSystemIDs?.isEmpty == false ? acsSystemIDs! : Array(catalog.acsSystemIDs)).sorted()
        self.state = state
        self.resultsPath = resultsPath
        self.format = format
    }

    public struct Report: Sendable {
        public var rows = 0
        public var byDrift: [DriftKind: Int] = [:]
        public var httpCalls = 0
        /// Drift worth an alert was found (exit 1).
        public var hasAlarm: Bool { byDrift.contains { $0.key.isAlarm && $0.value > 0 } }
    }

    /// Reads Seam and writes the export.
    public func run(operations: any SeamOperations) async throws -> Report {
        let records = try state?.allRecords() ?? []
        let byACSUser = Dictionary(records.compactMap { record in record.keys.acsUserID.map { ($0, record) } }, uniquingKeysWith: { first, _ in first })
        // A confirmed revocation forgets its ACS user id: a user of that name on that system that
        // the state does not know by id is a revoked reservation's, and the guest kept access.
        let revokedByName = Dictionary(records.filter { !$0.holdsKeys }.map { ("\($0.acsSystemID)/\($0.reservationID)", $0) },
                                       uniquingKeysWith: { first, _ in first })
        let systems = acsSystemIDs
        let (read, calls) = await operations.measuringCalls { () -> Result<[ACSSystemInventory], any Error> in
            do {
                var inventories: [ACSSystemInventory] = []
                for system in systems { inventories.append(try await ACSSystemInventory.read(system, operations: operations)) }
                return .success(inventories)
            } catch {
                return .failure(error)
            }
        }
        let inventories = try read.get()
        var rows: [ExportRow] = []
        var seamUserIDs: Set<String> = []
        for inventory in inventories {
            for user in inventory.users {
                seamUserIDs.insert(user.acsUserID)
                let record = byACSUser[user.acsUserID] ?? user.fullName.flatMap { revokedByName["\(inventory.acsSystemID)/\($0)"] }
                let groups = inventory.groupsByUser[user.acsUserID] ?? []
                let keys = inventory.keysByUser[user.acsUserID] ?? []
                let listingID = record?.listingID ?? listing(onSystem: inventory.acsSystemID, withGroups: groups) ?? ""
                let desiredGroups = catalog[listingID].map { Set($0.accessGroupIDs) } ?? record.map { Set($0.keys.accessGroupIDs) }
                rows.append(ExportRow(
                    reservationID: user.fullName ?? "", acsSystemID: inventory.acsSystemID, listingID: listingID,
                    guestEmail: user.userIdentityEmail ?? record?.guestEmail ?? "", schedule: user.schedule,
                    accessGroupIDs: Array(groups), acsCredentialIDs: keys.map(\.acsCredentialID),
                    credentialSynced: keys.isEmpty ? nil : keys.allSatisfy(\.isSynced), isSubscribed: user.isSubscribed,
                    pendingMutations: user.pendingMutations, errors: user.errors.map(\.code), warnings: user.warnings,
                    userIdentityID: user.userIdentityID ?? "", acsUserID: user.acsUserID,
                    drift: state == nil ? nil : DriftJudge.judge(user, keys: keys, groups: groups, record: record, desiredGroups: desiredGroups)))
            }
        }
        let exported = Set(systems)
        for record in records where exported.contains(record.acsSystemID) && DriftJudge.isMissing(record, seamUserIDs: seamUserIDs) {
            rows.append(Self.row(from: record, drift: .missingInSeam))
        }
        var report = try write(rows)
        report.httpCalls = calls
        return report
    }

    /// `--from-state`: the state's view in the same shape, without a call.
    public func runFromState() throws -> Report {
        let exported = Set(acsSystemIDs)
        let rows = try (state?.allRecords() ?? []).filter { $0.holdsKeys && exported.contains($0.acsSystemID) }.map { Self.row(from: $0, drift: nil) }
        return try write(rows)
    }

    private func write(_ rows: [ExportRow]) throws -> Report {
        let writer = try ResultsWriter(path: resultsPath, layout: .export, format: format)
        var report = Report()
        for row in rows.sorted(by: ExportRow.inOrder) {
            try writer.write(row)
            report.rows += 1
            if let drift = row.drift { report.byDrift[drift, default: 0] += 1 }
        }
        try writer.finish()
        return report
    }

    /// The listing on `system` whose access groups are exactly `groups` (a user the state does
    /// not know has no other tie to a listing).
    private func listing(onSystem system: String, withGroups groups: Set<String>) -> String? {
        catalog.listings.values.filter { $0.acsSystemID == system && Set($0.accessGroupIDs) == groups }.map(\.listingID).min()
    }

    static func row(from record: StateRecord, drift: DriftKind?) -> ExportRow {
        ExportRow(reservationID: record.reservationID, acsSystemID: record.acsSystemID, listingID: record.listingID,
                  guestEmail: record.guestEmail, schedule: AccessSchedule(startsAt: record.checkIn, endsAt: record.checkOut),
                  accessGroupIDs: record.keys.accessGroupIDs, acsCredentialIDs: record.keys.acsCredentialID.map { [$0] } ?? [],
                  userIdentityID: record.keys.userIdentityID ?? "", acsUserID: record.keys.acsUserID ?? "", drift: drift)
    }
}
