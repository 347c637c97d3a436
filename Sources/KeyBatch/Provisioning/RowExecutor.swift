/// Carries out one planned action for one row, keeping the journal in step with Seam.
struct RowExecutor: Sendable {
    let provisioner: Provisioner
    let journal: any ProvisioningJournal
    /// How long a replacement waits for the site to delete the old ACS user (`--confirm-timeout`).
    var deletionWait: Duration = .seconds(60)

    struct Outcome: Sendable {
        var status: ResultStatus
        /// The ids for the results file (for a revocation: what was deleted).
        var keys: ProvisionedKeys
        var failure: ProvisioningFailure?
        /// What Seam should show once the Salto KS site has applied the row; nil when nothing was changed.
        var expectation: Expectation?
        /// For the results' message of a row that is not done (a replacement waiting for a deletion).
        var note: String?
    }

    func execute(_ action: PlannedAction) async -> Outcome {
        do throws(ProvisioningFailure) {
            return try await perform(action)
        } catch {
            if let id = action.reservationID {
                try? await journal.fail(reservationID: id, keys: error.progress, error: "\(error.code): \(error.message)")
            }
            return Outcome(status: .failed, keys: error.progress, failure: error)
        }
    }

    private func perform(_ action: PlannedAction) async throws(ProvisioningFailure) -> Outcome {
        switch action {
        case .none(let status):
            return Outcome(status: status, keys: ProvisionedKeys(), failure: nil)
        case .provision(_, let stay, let knowledge):
            try await journaled(knowledge.keys) { try await journal.begin(stay.reservation, listing: stay.listing) }
            let keys = try await provisioner.provision(stay, knowledge: knowledge)
            return try await provisioned(stay, keys, action)
        case .replace(let stay, let old):
            // First the old ACS user goes (the journal records each deletion), then the new one is
            // made: the record holds one set of ids, so the old ones must be gone before it forgets them.
            let revocation = try await provisioner.revoke(RevocationTarget(old), knowledge: .trusted(old.knownProgress))
            if let deleted = revocation.deletedACSUserID {
                // The old user must be gone on the site before the record forgets it: a refused
                // deletion would otherwise leave the old guest (or site) a key nobody tracks.
                var kept = revocation.keys
                kept.acsUserID = deleted
                guard try await provisioner.awaitDeletion(of: deleted, within: deletionWait, progress: kept) else {
                    try await journaled(kept) {
                        try await journal.fail(reservationID: old.reservationID, keys: kept,
                                               error: "waiting for the Salto KS site to delete the old ACS user \(deleted)")
                    }
                    var outcome = Outcome(status: .pending, keys: revocation.reported, failure: nil)
                    outcome.note = "waiting for the Salto KS site to delete the old ACS user before the new one is made; the next run goes on"
                    return outcome
                }
            }
            let fresh = ProvisionedKeys(userIdentityID: old.guestEmail == stay.reservation.guestEmail ? revocation.keys.userIdentityID : nil)
            try await journaled(revocation.keys) { try await journal.didProgress(reservationID: old.reservationID, keys: fresh) }
            try await journaled(fresh) { try await journal.begin(stay.reservation, listing: stay.listing) }
            let keys = try await provisioner.provision(stay, knowledge: .trusted(KnownProgress(keys: fresh)))
            return try await provisioned(stay, keys, action)
        case .revoke(let stay, let knowledge), .cleanup(let stay, let knowledge):
            // Look where the resources were made, which may not be where tonight's row points.
            let target = knowledge.known?.location ?? stay.target
            let revocation = try await provisioner.revoke(target, knowledge: knowledge)
            guard revocation.deletedACSUserID != nil || knowledge.known != nil else {
                // Never provisioned and nothing found: nothing to take away, nothing to remember.
                return Outcome(status: .unchanged, keys: revocation.reported, failure: nil)
            }
            let outcome: JournalOutcome = if case .cleanup = action { .cleaned } else { .revoked }
            try await journaled(revocation.keys) { try await journal.begin(stay.reservation, listing: stay.listing) }
            return try await revoked(revocation, reservationID: stay.reservationID, acsSystemID: target.acsSystemID, outcome: outcome, action)
        case .revokeAbsent(let record):
            // Only the state knows this reservation: there is no row to record as desired.
            let revocation = try await provisioner.revoke(RevocationTarget(record), knowledge: .trusted(record.knownProgress))
            return try await revoked(revocation, reservationID: record.reservationID, acsSystemID: record.acsSystemID, outcome: .revoked, action)
        case .repair(_, let mend):
            // The mend is an ordinary action (the results' `action` column says `repair`), started
            // from what Seam showed: that goes into the state first, so that a mend stopped half-way
            // is resumed from Seam's ids, never from the stale ones the state held (which would skip
            // the lookup of what the mend made before it stopped), and a refusal is replaced again.
            let seen: (stay: Stay, keys: ProvisionedKeys, announcesUser: Bool, refusal: String?)
            switch mend {
            case .provision(_, let stay, let knowledge):
                seen = (stay, knowledge.keys, knowledge.known?.acsUserIntended == true, nil)
            case .replace(let stay, let old):
                seen = (stay, old.keys, false, old.refusal)
            default:
                return try await perform(mend)  // a revocation makes nothing, and its `finish` records what it deleted
            }
            let id = seen.stay.reservationID
            try await journaled(seen.keys) {
                try await journal.begin(seen.stay.reservation, listing: seen.stay.listing)
                try await journal.didProgress(reservationID: id, keys: seen.keys)
                if seen.announcesUser { try await journal.willCreate(.acsUser, reservationID: id) }
                if let code = seen.refusal { try await journal.refused(reservationID: id, issue: SeamIssue(code: code, message: "seen by --verify")) }
            }
            return try await perform(mend)
        case .confirm(let record):
            // Nothing to send: the confirmation round asks Seam what the site has done since.
            return Outcome(status: action.successStatus, keys: record.keys, failure: nil, expectation: record.expectation)
        }
    }

    /// Seam accepted every call: the record says so, and what the site has yet to confirm.
    private func provisioned(_ stay: Stay, _ keys: ProvisionedKeys, _ action: PlannedAction) async throws(ProvisioningFailure) -> Outcome {
        var expectation: Expectation?
        if let user = keys.acsUserID, let credential = keys.acsCredentialID {
            expectation = .present(acsUserID: user, acsCredentialID: credential, acsSystemID: stay.listing.acsSystemID,
                                   accessGroupIDs: Set(keys.accessGroupIDs), schedule: keys.schedule)
        }
        try await journaled(keys) {
            try await journal.finish(reservationID: stay.reservationID, outcome: .provisioned, keys: keys, awaiting: expectation.map { _ in action.kind })
        }
        return Outcome(status: action.successStatus, keys: keys, failure: nil, expectation: expectation)
    }

    /// Seam accepted the deletions. Until the site confirms, the record keeps the deleted ACS
    /// user's id (to re-check it, and to delete it again if the site refuses).
    private func revoked(_ revocation: Revocation, reservationID: String, acsSystemID: String, outcome: JournalOutcome,
                         _ action: PlannedAction) async throws(ProvisioningFailure) -> Outcome {
        var kept = revocation.keys
        var expectation: Expectation?
        if let deleted = revocation.deletedACSUserID {
            kept.acsUserID = deleted
            expectation = .absent(acsUserID: deleted, acsSystemID: acsSystemID)
        }
        try await journaled(kept) {
            try await journal.finish(reservationID: reservationID, outcome: outcome, keys: kept, awaiting: expectation.map { _ in action.kind })
        }
        return Outcome(status: revocation.deletedACSUserID == nil ? .unchanged : .revoked, keys: revocation.reported, failure: nil,
                       expectation: expectation)
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
