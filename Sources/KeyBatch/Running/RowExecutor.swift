/// Carries out one planned action for one row, keeping the journal in step with Seam.
struct RowExecutor: Sendable {
    let provisioner: Provisioner
    let journal: any ProvisioningJournal

    struct Outcome: Sendable {
        var status: ResultStatus
        var keys: ProvisionedKeys
        var failure: ProvisioningFailure?
    }

    func execute(_ action: PlannedAction, reservation: Reservation?, listing: Listing?) async -> Outcome {
        do throws(ProvisioningFailure) {
            let keys = try await perform(action, reservation: reservation, listing: listing)
            if case .revoke = action, keys.acsUserID == nil {
                // Nothing in Seam to take away (never provisioned): say so rather than "revoked".
                return Outcome(status: .unchanged, keys: keys, failure: nil)
            }
            return Outcome(status: action.successStatus, keys: keys, failure: nil)
        } catch {
            if let id = reservation?.reservationID ?? action.oldRecord?.reservationID {
                try? await journal.fail(reservationID: id, keys: error.progress, error: "\(error.code): \(error.message)")
            }
            return Outcome(status: .failed, keys: error.progress, failure: error)
        }
    }

    private func perform(_ action: PlannedAction, reservation: Reservation?, listing: Listing?) async throws(ProvisioningFailure) -> ProvisionedKeys {
        switch action {
        case .none:
            return ProvisionedKeys()
        case .provision(_, let known):
            let (reservation, listing) = (reservation!, listing!)
            try await journaled { try await journal.begin(reservation, listing: listing) }
            let keys = try await provisioner.provision(reservation, listing: listing, known: known)
            try await journaled { try await journal.finish(reservationID: reservation.reservationID, outcome: .provisioned, keys: keys) }
            return keys
        case .replace(let old):
            let (reservation, listing) = (reservation!, listing!)
            // First the old ACS user goes (and the journal forgets it), then the new one is made.
            _ = try await provisioner.revoke(RevocationTarget(old), known: old.knownProgress)
            try await journaled { try await journal.didProgress(reservationID: old.reservationID, keys: ProvisionedKeys()) }
            try await journaled { try await journal.begin(reservation, listing: listing) }
            let keys = try await provisioner.provision(reservation, listing: listing, known: KnownProgress(keys: ProvisionedKeys()))
            try await journaled { try await journal.finish(reservationID: reservation.reservationID, outcome: .provisioned, keys: keys) }
            return keys
        case .revoke(let known), .cleanup(let known):
            let target = reservation.map { RevocationTarget($0, listing: listing!) }!
            try await journaled { try await journal.begin(reservation!, listing: listing!) }
            let keys = try await provisioner.revoke(target, known: known)
            let outcome: JournalOutcome = if case .cleanup = action { .cleaned } else { .revoked }
            try await journaled { try await journal.finish(reservationID: target.reservationID, outcome: outcome, keys: keys) }
            return keys
        }
    }

    /// Revokes a reservation that is gone from the file (`--sync`): only the state knows it.
    func revokeAbsent(_ record: StateRecord) async -> Outcome {
        do throws(ProvisioningFailure) {
            let keys = try await provisioner.revoke(RevocationTarget(record), known: record.knownProgress)
            try await journaled { try await journal.finish(reservationID: record.reservationID, outcome: .revoked, keys: keys) }
            return Outcome(status: .revoked, keys: keys, failure: nil)
        } catch {
            try? await journal.fail(reservationID: record.reservationID, keys: error.progress, error: "\(error.code): \(error.message)")
            return Outcome(status: .failed, keys: error.progress, failure: error)
        }
    }

    private func journaled(_ body: () async throws -> Void) async throws(ProvisioningFailure) {
        do {
            try await body()
        } catch {
            throw ProvisioningFailure(step: .stateFile, code: "state_write_failed", message: "cannot write the state file: \(error)", progress: ProvisionedKeys())
        }
    }
}

extension PlannedAction {
    var oldRecord: StateRecord? {
        if case .replace(let old) = self { return old }
        return nil
    }
}
