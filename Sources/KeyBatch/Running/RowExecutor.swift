/// Carries out one planned action for one row, keeping the journal in step with Seam.
struct RowExecutor: Sendable {
    let provisioner: Provisioner
    let journal: any ProvisioningJournal

    struct Outcome: Sendable {
        var status: ResultStatus
        /// The ids for the results file (for a revocation: what was deleted).
        var keys: ProvisionedKeys
        var failure: ProvisioningFailure?
    }

    func execute(_ action: PlannedAction, reservation: Reservation?, listing: Listing?) async -> Outcome {
        do throws(ProvisioningFailure) {
            return try await perform(action, reservation: reservation, listing: listing)
        } catch {
            if let id = reservation?.reservationID ?? action.oldRecord?.reservationID {
                try? await journal.fail(reservationID: id, keys: error.progress, error: "\(error.code): \(error.message)")
            }
            return Outcome(status: .failed, keys: error.progress, failure: error)
        }
    }

    private func perform(_ action: PlannedAction, reservation: Reservation?, listing: Listing?) async throws(ProvisioningFailure) -> Outcome {
        switch action {
        case .none(let status):
            return Outcome(status: status, keys: ProvisionedKeys(), failure: nil)
        case .provision(_, let known):
            let (reservation, listing) = (reservation!, listing!)
            try await journaled(known?.keys ?? ProvisionedKeys()) { try await journal.begin(reservation, listing: listing) }
            let keys = try await provisioner.provision(reservation, listing: listing, known: known)
            try await journaled(keys) { try await journal.finish(reservationID: reservation.reservationID, outcome: .provisioned, keys: keys) }
            return Outcome(status: action.successStatus, keys: keys, failure: nil)
        case .replace(let old):
            let (reservation, listing) = (reservation!, listing!)
            // First the old ACS user goes (the journal records each deletion), then the new one is
            // made: the record holds one set of ids, so the old ones must be gone before it forgets them.
            let revocation = try await provisioner.revoke(RevocationTarget(old), known: old.knownProgress)
            let fresh = ProvisionedKeys(userIdentityID: old.guestEmail == reservation.guestEmail ? revocation.keys.userIdentityID : nil)
            try await journaled(revocation.keys) { try await journal.didProgress(reservationID: old.reservationID, keys: fresh) }
            try await journaled(fresh) { try await journal.begin(reservation, listing: listing) }
            let keys = try await provisioner.provision(reservation, listing: listing, known: KnownProgress(keys: fresh))
            try await journaled(keys) { try await journal.finish(reservationID: reservation.reservationID, outcome: .provisioned, keys: keys) }
            return Outcome(status: .provisioned, keys: keys, failure: nil)
        case .revoke(let known), .cleanup(let known):
            let (reservation, listing) = (reservation!, listing!)
            // Look where the resources were made, which may not be where tonight's row points.
            let target = known?.location ?? RevocationTarget(reservation, listing: listing)
            let revocation = try await provisioner.revoke(target, known: known)
            guard revocation.deletedACSUserID != nil || known != nil else {
                // Never provisioned and nothing found: nothing to take away, nothing to remember.
                return Outcome(status: .unchanged, keys: revocation.reported, failure: nil)
            }
            let outcome: JournalOutcome = if case .cleanup = action { .cleaned } else { .revoked }
            try await journaled(revocation.keys) { try await journal.begin(reservation, listing: listing) }
            try await journaled(revocation.keys) { try await journal.finish(reservationID: reservation.reservationID, outcome: outcome, keys: revocation.keys) }
            return Outcome(status: revocation.deletedACSUserID == nil ? .unchanged : .revoked, keys: revocation.reported, failure: nil)
        }
    }

    /// Revokes a reservation that is gone from the file (`--sync`): only the state knows it.
    func revokeAbsent(_ record: StateRecord) async -> Outcome {
        do throws(ProvisioningFailure) {
            let revocation = try await provisioner.revoke(RevocationTarget(record), known: record.knownProgress)
            try await journaled(revocation.keys) { try await journal.finish(reservationID: record.reservationID, outcome: .revoked, keys: revocation.keys) }
            return Outcome(status: .revoked, keys: revocation.reported, failure: nil)
        } catch {
            try? await journal.fail(reservationID: record.reservationID, keys: error.progress, error: "\(error.code): \(error.message)")
            return Outcome(status: .failed, keys: error.progress, failure: error)
        }
    }

    /// A journal write; if it fails the row fails, carrying `keys` so nothing Seam holds is forgotten.
    private func journaled(_ keys: ProvisionedKeys, _ body: () async throws -> Void) async throws(ProvisioningFailure) {
        do {
            try await body()
        } catch {
            throw ProvisioningFailure(step: .stateFile, code: "state_write_failed", message: "cannot write the state file: \(error)", progress: keys)
        }
    }
}

extension PlannedAction {
    var oldRecord: StateRecord? {
        if case .replace(let old) = self { return old }
        return nil
    }
}
