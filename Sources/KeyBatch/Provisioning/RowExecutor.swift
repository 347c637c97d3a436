/// Carries out one row's planned action: waits for its guest-sites' work (run once per site by
/// the `SiteCoordinator`), and keeps the reservation's record in step.
struct RowExecutor: Sendable {
    let sites: SiteCoordinator
    let journal: any ProvisioningJournal

    init(provisioner: Provisioner, journal: any ProvisioningJournal) {
        self.sites = SiteCoordinator(executor: SiteExecutor(provisioner: provisioner, journal: journal))
        self.journal = journal
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
        case .record(let id, let stay, let role):
            try await journaled(ProvisionedKeys()) {
                if let stay { try await journal.begin(stay.reservation, listing: stay.listing) }
                if let status = role.recordStatus { try await journal.settle(reservationID: id, status: status) }
            }
            return Outcome(status: action.successStatus, keys: ProvisionedKeys(), note: action.note)
        case .site(let id, let plans, let role, let stay):
            if let stay, role.recordStatus != nil {
                try await journaled(ProvisionedKeys()) { try await journal.begin(stay.reservation, listing: stay.listing) }
            }
            var primary: SiteOutcome?
            for plan in plans where plan.sends || primary == nil {
                let outcome: SiteOutcome
                if plan.sends {
                    outcome = try await sites.outcome(of: plan).get()
                } else {
                    outcome = SiteOutcome(keys: plan.record?.keys ?? ProvisionedKeys())
                }
                if primary == nil { primary = outcome }
                if let waiting = outcome.waiting {
                    return Outcome(status: .pending, keys: outcome.keys, expectation: nil, site: plan.site, note: waiting)
                }
            }
            let site = plans[0].site
            let outcome = primary ?? SiteOutcome(keys: ProvisionedKeys())
            var status = action.successStatus
            if case .ended = role, outcome.foundNothing { status = .unchanged }
            if let recordStatus = role.recordStatus {
                try await journaled(outcome.keys) { try await journal.settle(reservationID: id, status: recordStatus) }
            }
            let expectation = role.awaitsSite && plans[0].sends ? outcome.expectation : nil
            return Outcome(status: status, keys: outcome.keys, expectation: expectation, site: site, note: action.note)
        }
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
