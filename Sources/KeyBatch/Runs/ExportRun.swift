/// `keybatch export`: what Seam holds on the listings' ACS systems, one row per ACS user (with
/// the reservations the state says it holds), and, with a state file, where it differs from what
/// KeyBatch believes (`DriftJudge`).
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
        let holdings = try Holdings(state)
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
                let site = holdings.site(of: user, on: inventory.acsSystemID)
                let groups = inventory.groupsByUser[user.acsUserID] ?? []
                let keys = inventory.keysByUser[user.acsUserID] ?? []
                let stays = site.map { holdings.stays[$0.site] ?? [] } ?? []
                let listingIDs = stays.isEmpty ? listing(onSystem: inventory.acsSystemID, withGroups: groups).map { [$0] } ?? [] : Array(Set(stays.map(\.listingID)))
                rows.append(ExportRow(
                    reservationIDs: stays.map(\.reservationID), acsSystemID: inventory.acsSystemID, listingIDs: listingIDs,
                    guestEmail: user.userIdentityEmail ?? site?.site.guestEmail ?? "", fullName: user.fullName ?? "", schedule: user.schedule,
                    accessGroupIDs: Array(groups), acsCredentialIDs: keys.map(\.acsCredentialID),
                    credentialSynced: keys.isEmpty ? nil : keys.allSatisfy(\.isSynced), isSubscribed: user.isSubscribed,
                    pendingMutations: user.pendingMutations, errors: user.errors.map(\.code.rawValue), warnings: user.warnings,
                    userIdentityID: user.userIdentityID ?? "", acsUserID: user.acsUserID,
                    drift: state == nil ? nil : DriftJudge.judge(user, keys: keys, groups: groups, record: site)))
            }
        }
        let exported = Set(systems)
        for record in holdings.sites.values where exported.contains(record.site.acsSystemID) && DriftJudge.isMissing(record, seamUserIDs: seamUserIDs) {
            rows.append(holdings.row(of: record, drift: .missingInSeam))
        }
        var report = try write(rows)
        report.httpCalls = calls
        return report
    }

    /// `--from-state`: the state's view in the same shape, without a call.
    public func runFromState() throws -> Report {
        let exported = Set(acsSystemIDs)
        let holdings = try Holdings(state)
        let rows = holdings.sites.values.filter { $0.keys.acsUserID != nil && !$0.awaitsDeletion && exported.contains($0.site.acsSystemID) }
            .map { holdings.row(of: $0, drift: nil) }
        return try write(rows)
    }

    /// What the state says each guest's user holds: the site records and the stays on each.
    private struct Holdings {
        var sites: [GuestSite: GuestSiteRecord] = [:]
        var stays: [GuestSite: [StateRecord]] = [:]
        var byACSUser: [String: GuestSiteRecord] = [:]
        var byIdentity: [ACSUserKey: GuestSiteRecord] = [:]

        init(_ state: StateStore?) throws {
            guard let state else { return }
            sites = try state.siteRecords()
            for record in try state.allRecords() where record.mayHoldAccess {
                stays[record.site, default: []].append(record)
            }
            for record in sites.values {
                if let user = record.keys.acsUserID { byACSUser[user] = record }
                for retired in record.retired { byACSUser[retired.acsUserID] = record }
                if let key = record.userKey { byIdentity[key] = record }
            }
        }

        /// The guest's site a Seam user belongs to: by id (kept or retired), else by identity (a
        /// guest whose access ended, whose user Seam still holds).
        func site(of user: ACSUserState, on system: String) -> GuestSiteRecord? {
            byACSUser[user.acsUserID] ?? user.key(on: system).flatMap { byIdentity[$0] }
        }

        func row(of record: GuestSiteRecord, drift: DriftKind?) -> ExportRow {
            let held = stays[record.site] ?? []
            return ExportRow(reservationIDs: held.map(\.reservationID), acsSystemID: record.site.acsSystemID,
                             listingIDs: Array(Set(held.map(\.listingID))), guestEmail: record.site.guestEmail, schedule: record.keys.schedule,
                             accessGroupIDs: record.keys.accessGroupIDs, acsCredentialIDs: record.keys.acsCredentialID.map { [$0] } ?? [],
                             userIdentityID: record.keys.userIdentityID ?? "", acsUserID: record.keys.acsUserID ?? "", drift: drift)
        }
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
}
