/// Carries out one row's planned action: waits for its guest-sites' work (run once per site by
/// the `SiteCoordinator`), and keeps the reservation's record in step.
struct RowExecutor: Sendable {
    let sites: SiteCoordinator
    let journal: any ProvisioningJournal
    private let provisioner: Provisioner
    /// How long a row waits for the site to delete its guest's old user (`--confirm-timeout`).
    private let deletionWait: Duration
    /// `--instant-keys`: a provisioned row owes its guest a link until a finished results file has it.
    var owesLinks = false

    init(provisioner: Provisioner, journal: any ProvisioningJournal, deletionWait: Duration = .seconds(60)) {
        self.sites = SiteCoordinator(executor: SiteExecutor(provisioner: provisioner, journal: journal))
        self.journal = journal
        self.provisioner = provisioner
        self.deletionWait = deletionWait
    }

    struct Outcome: Sendable {
        var status: ResultStatus
        /// The ids for the results file (for a revocation: what was deleted).
        var keys: ProvisionedKeys
        var failure: ProvisioningFailure?
        /// What Seam should show once the Salto KS site has applied the row; nil when the row
        /// claims nothing the site must confirm.
        var expectation: Expectation?
        /// The site whose confirmation the row waits for.
        var site: GuestSite?
        /// For the results' message of a row that is not an error (deferred, waiting, a repair).
        var note: String?
        /// Seam's warnings, when the site's work was confirmed without a round.
        var warnings: [String] = []
    }

    func execute(_ action: PlannedAction) async -> Outcome {
        do throws(ProvisioningFailure) {
            return try await perform(action)
        } catch {
            if let id = action.reservationID {
                try? await journal.fail(reservationID: id, error: "\(error.code): \(error.message)")
            }
            return Outcome(status: .failed, keys: error.progress, failure: error)
        }
    }

    private func perform(_ action: PlannedAction) async throws(ProvisioningFailure) -> Outcome {
        switch action {
        case .none(let status):
            return Outcome(status: status, keys: ProvisionedKeys())
        case .record(let id, let stay, let role, let keys):
            try await journaled(ProvisionedKeys()) {
                if let stay { try await journal.begin(stay.reservation, listing: stay.listing) }
                if let status = role.recordStatus {
                    try await journal.settle(reservationID: id, status: status, owesLink: owesLinks && action.successStatus == .provisioned)
                }
            }
            // No call: the ids are those the state holds for the guest's user on the site.
            return Outcome(status: action.successStatus, keys: keys, note: action.note)
        case .siteOnly(let plan):
            let outcome = try await sites.outcome(of: plan).get()
            if let waiting = outcome.waiting { return Outcome(status: .pending, keys: outcome.keys, site: plan.site, note: waiting) }
            return Outcome(status: action.successStatus, keys: outcome.keys, expectation: outcome.expectation, site: plan.site, note: action.note)
        case .site(let id, let plans, let role, let stay):
            // The sites the stay's access leaves (its guest's or listing's site changed) first, and
            // seen through: until the old user is gone the record keeps pointing there, so a
            // refused or slow deletion is tried again next run, and no new user is made meanwhile.
            for former in plans.dropFirst() where former.sends {
                if let waiting = try await leave(former) {
                    return Outcome(status: .pending, keys: former.record?.keys ?? ProvisionedKeys(), site: former.site, note: waiting)
                }
            }
            if let stay, role.recordStatus != nil {
                try await journaled(ProvisionedKeys()) { try await journal.begin(stay.reservation, listing: stay.listing) }
            }
            let site = plans[0].site
            let outcome = plans[0].sends ? try await sites.outcome(of: plans[0]).get() : SiteOutcome(keys: plans[0].record?.keys ?? ProvisionedKeys())
            if let waiting = outcome.waiting {
                return Outcome(status: .pending, keys: outcome.keys, expectation: nil, site: site, note: waiting)
            }
            var status = action.successStatus
            if case .ended = role, outcome.foundNothing { status = .unchanged }
            if let recordStatus = role.recordStatus {
                try await journaled(outcome.keys) {
                    try await journal.settle(reservationID: id, status: recordStatus, owesLink: owesLinks && status == .provisioned)
                }
            }
            let expectation = role.awaitsSite && plans[0].sends ? outcome.expectation : nil
            return Outcome(status: status, keys: outcome.keys, expectation: expectation, site: site, note: action.note, warnings: outcome.warnings)
        }
    }

    /// A site the row's access leaves: its work, and, for a deletion, the site's confirmation that
    /// the old user is gone. Returns the message of a row left waiting for it; a refusal throws
    /// (and is recorded, so the next run deletes again).
    private func leave(_ plan: SitePlan) async throws(ProvisioningFailure) -> String? {
        let outcome = try await sites.outcome(of: plan).get()
        if let waiting = outcome.waiting { return waiting }
        guard case .absent(let acsUserID, _)? = outcome.expectation else { return nil }
        do throws(ProvisioningFailure) {
            guard try await provisioner.awaitDeletion(of: acsUserID, within: deletionWait, progress: outcome.keys) else {
                return "waiting for the Salto KS site to delete the guest's ACS user on \(plan.site.acsSystemID) before this stay moves; the next run goes on"
            }
        } catch {
            try? await journal.refused(site: plan.site, issue: SeamIssue(code: error.code, message: error.message))
            throw error
        }
        try await journaled(outcome.keys) { try await journal.confirmed(site: plan.site, forgetACSUser: true) }
        return nil
    }

    /// A journal write; if it fails the row fails, carrying `keys` so nothing Seam holds is forgotten.
    private func journaled(_ keys: ProvisionedKeys, _ body: () async throws -> Void) async throws(ProvisioningFailure) {
        do {
            try await body()
        } catch {
            throw ProvisioningFailure(step: .stateFile, code: .run(.stateWriteFailed), message: "cannot write the state file: \(error)", progress: keys)
        }
    }
}
