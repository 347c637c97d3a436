/// Carries out one guest-site's action, keeping the journal in step with Seam.
struct SiteExecutor: Sendable {
    let provisioner: Provisioner
    let journal: any ProvisioningJournal

    func perform(_ plan: SitePlan) async -> Result<SiteOutcome, ProvisioningFailure> {
        do throws(ProvisioningFailure) {
            return .success(try await perform(plan.action, site: plan.site))
        } catch {
            try? await journal.fail(site: plan.site, keys: error.progress, error: "\(error.code): \(error.message)")
            return .failure(error)
        }
    }

    private func perform(_ action: SiteAction, site: GuestSite) async throws(ProvisioningFailure) -> SiteOutcome {
        switch action {
        case .none:
            return SiteOutcome(keys: ProvisionedKeys())
        case .hold(let visit, let contact, let knowledge):
            let outcome = try await provisioner.hold(site, visit: visit, contact: contact, knowledge: knowledge)
            if outcome.expectation != nil {
                // Seam accepted every call: the site has yet to confirm the user holds the visit.
                try await journaled(outcome.keys) { try await journal.didProgress(site: site, keys: outcome.keys, step: .credential, awaiting: .some(.update), deleted: false) }
            }
            return outcome
        case .remove(let knowledge):
            // The deletion's own journal entry already awaits the site's confirmation.
            return try await provisioner.remove(site, knowledge: knowledge)
        case .confirm(let record):
            // Nothing to send: the confirmation round asks Seam what the site has done since.
            return SiteOutcome(keys: record.keys, expectation: record.expectation)
        case .repair(_, let mend):
            // The mend starts from what Seam showed: the journal learns it first, so a repair
            // that stops short resumes from Seam's view, not from the state's stale one.
            if case .hold(_, _, .trusted(let seen)) = mend {
                try await journaled(seen.keys) {
                    try await journal.didProgress(site: site, keys: seen.keys, step: .verify, awaiting: .some(nil), deleted: false)
                    if seen.pendingCreate == .acsUser { try await journal.willCreate(.acsUser, site: site) }
                    if let code = seen.refusal { try await journal.refused(site: site, issue: SeamIssue(seam: SeamCode(code), message: "seen by --verify")) }
                }
            }
            return try await perform(mend, site: site)
        }
    }

    /// A journal write; if it fails the site fails, carrying `keys` so nothing Seam holds is forgotten.
    private func journaled(_ keys: ProvisionedKeys, _ body: () async throws -> Void) async throws(ProvisioningFailure) {
        do {
            try await body()
        } catch {
            throw ProvisioningFailure(step: .stateFile, code: .run(.stateWriteFailed), message: "cannot write the state file: \(error)", progress: keys)
        }
    }
}
