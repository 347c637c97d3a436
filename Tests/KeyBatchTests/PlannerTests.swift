import Testing
@testable import KeyBatch

/// The planner's rules, row and record in, action out: no database, no server.
@Suite struct PlannerTests {
    static let listing = Listing(listingID: "A-101", acsSystemID: "system-a", accessGroupIDs: ["g1", "g2"])
    static let otherSystem = Listing(listingID: "B-201", acsSystemID: "system-b", accessGroupIDs: ["g3"])
    static let checkIn = Timestamp(year: 2027, month: 3, day: 1, hour: 15)
    static let checkOut = Timestamp(year: 2027, month: 3, day: 4, hour: 11)

    static func reservation(email: String = "a@example.com", checkOut: Timestamp = checkOut, status: ReservationStatus = .confirmed,
                            listing: Listing = listing) -> Reservation {
        Reservation(line: 2, reservationID: "R-1", guestEmail: email, guestName: nil, guestPhone: nil, listingID: listing.listingID,
                    checkIn: checkIn, checkOut: checkOut, status: status)
    }

    static func row(_ reservation: Reservation, expired: Bool = false) -> ValidatedRow {
        ValidatedRow(identity: .init(line: 2, reservationID: reservation.reservationID, guestEmail: reservation.guestEmail, listingID: reservation.listingID),
                     verdict: expired ? .expired(reservation) : .ready(reservation))
    }

    static let keys = ProvisionedKeys(userIdentityID: "identity-1", acsUserID: "user-1", accessGroupIDs: ["g1", "g2"], acsCredentialID: "key-1",
                                      schedule: AccessSchedule(startsAt: checkIn, endsAt: checkOut))

    /// What a finished run leaves for `reservation`.
    static func record(of reservation: Reservation, listing: Listing = listing, status: StateRecord.Status = .provisioned,
                       keys: ProvisionedKeys = keys, pending: ProvisioningStep? = nil) -> StateRecord {
        StateRecord(reservationID: reservation.reservationID, fingerprint: Fingerprint(reservation, listing: listing), guestEmail: reservation.guestEmail,
                    listingID: listing.listingID, acsSystemID: listing.acsSystemID, checkIn: reservation.checkIn, checkOut: reservation.checkOut,
                    status: status, keys: keys, pendingCreate: pending, attempts: 1, lastError: nil)
    }

    let planner = Planner(hasState: true, cleanupExpired: false)

    @Test func withoutAStateEverythingIsLookedUp() {
        let planner = Planner(hasState: false, cleanupExpired: false)
        let reservation = Self.reservation()
        let stay = Stay(reservation, at: Self.listing)
        #expect(planner.decide(Self.row(reservation), record: nil, listing: Self.listing) == .provision(.create, stay, .lookUpEverything))
        let cancelled = Self.reservation(status: .cancelled)
        #expect(planner.decide(Self.row(cancelled), record: nil, listing: Self.listing) == .revoke(Stay(cancelled, at: Self.listing), .lookUpEverything))
    }

    /// No record proves nothing about Seam (a new or lost state file, an earlier tool's keys).
    @Test func aReservationTheStateDoesNotKnowIsLookedUpBeforeAnythingIsCreated() {
        let reservation = Self.reservation()
        #expect(planner.decide(Self.row(reservation), record: nil, listing: Self.listing) == .provision(.create, Stay(reservation, at: Self.listing), .lookUpEverything))
        let cleaned = Self.record(of: reservation, status: .cleaned, keys: ProvisionedKeys(userIdentityID: "identity-1"))
        #expect(planner.decide(Self.row(reservation), record: cleaned, listing: Self.listing) == .provision(.create, Stay(reservation, at: Self.listing), .lookUpEverything))
    }

    @Test func anUnchangedRowCostsNothingAndAChangedOneIsUpdated() {
        let reservation = Self.reservation()
        let record = Self.record(of: reservation)
        #expect(planner.decide(Self.row(reservation), record: record, listing: Self.listing) == .none(.unchanged))
        let moved = Self.reservation(checkOut: Timestamp(year: 2027, month: 3, day: 6, hour: 11))
        #expect(planner.decide(Self.row(moved), record: record, listing: Self.listing)
                == .provision(.update, Stay(moved, at: Self.listing), .trusted(record.knownProgress)))
    }

    @Test func aHalfDoneRowIsResumedKeepingWhatItAnnounced() {
        let reservation = Self.reservation()
        let record = Self.record(of: reservation, status: .partial, keys: ProvisionedKeys(userIdentityID: "identity-1"), pending: .acsUser)
        let action = planner.decide(Self.row(reservation), record: record, listing: Self.listing)
        #expect(action == .provision(.resume, Stay(reservation, at: Self.listing), .trusted(record.knownProgress)))
        #expect(action.kind == .resume)
        guard case .provision(_, _, let knowledge) = action else { return }
        #expect(knowledge.known?.acsUserIntended == true)
    }

    @Test func aNewEmailOrACSSystemReplacesTheACSUser() {
        let reservation = Self.reservation()
        let record = Self.record(of: reservation)
        let newEmail = Self.reservation(email: "b@example.com")
        #expect(planner.decide(Self.row(newEmail), record: record, listing: Self.listing) == .replace(Stay(newEmail, at: Self.listing), old: record))
        let moved = Self.reservation(listing: Self.otherSystem)
        #expect(planner.decide(Self.row(moved), record: record, listing: Self.otherSystem) == .replace(Stay(moved, at: Self.otherSystem), old: record))
    }

    @Test func aCancellationIsRevokedOnce() {
        let reservation = Self.reservation()
        let cancelled = Self.reservation(status: .cancelled)
        let record = Self.record(of: reservation)
        #expect(planner.decide(Self.row(cancelled), record: record, listing: Self.listing)
                == .revoke(Stay(cancelled, at: Self.listing), .trusted(record.knownProgress)))
        let revoked = Self.record(of: reservation, status: .revoked, keys: ProvisionedKeys(userIdentityID: "identity-1"))
        #expect(planner.decide(Self.row(cancelled), record: revoked, listing: Self.listing) == .none(.unchanged))
        // Confirmed again: made afresh, on the same identity.
        #expect(planner.decide(Self.row(reservation), record: revoked, listing: Self.listing)
                == .provision(.create, Stay(reservation, at: Self.listing), .trusted(KnownProgress(keys: ProvisionedKeys(userIdentityID: "identity-1")))))
    }

    @Test func anEarlyDepartureIntoThePastRevokesAndExpiredRowsAreLeftUnlessCleanedUp() {
        let reservation = Self.reservation()
        let record = Self.record(of: reservation)
        let leftEarly = Self.reservation(checkOut: Timestamp(year: 2027, month: 3, day: 2, hour: 11))
        #expect(planner.decide(Self.row(leftEarly, expired: true), record: record, listing: Self.listing)
                == .revoke(Stay(leftEarly, at: Self.listing), .trusted(record.knownProgress)))
        #expect(planner.decide(Self.row(reservation, expired: true), record: record, listing: Self.listing) == .none(.expired))
        let cleaning = Planner(hasState: true, cleanupExpired: true)
        #expect(cleaning.decide(Self.row(reservation, expired: true), record: record, listing: Self.listing)
                == .cleanup(Stay(reservation, at: Self.listing), .trusted(record.knownProgress)))
        #expect(cleaning.decide(Self.row(reservation, expired: true), record: nil, listing: Self.listing) == .none(.expired))
    }

    /// Seam is the truth: what the site has not confirmed is re-checked, what it refused is redone.
    @Test func awaitedAndRefusedRecordsAreRecheckedOrRetried() {
        let reservation = Self.reservation()
        var awaiting = Self.record(of: reservation)
        awaiting.awaiting = .create
        #expect(planner.decide(Self.row(reservation), record: awaiting, listing: Self.listing) == .confirm(awaiting))
        #expect(PlannedAction.confirm(awaiting).kind == .confirm && PlannedAction.confirm(awaiting).successStatus == .provisioned)
        // A change wins over the re-check: the update is confirmed in its turn.
        let moved = Self.reservation(checkOut: Timestamp(year: 2027, month: 3, day: 6, hour: 11))
        #expect(planner.decide(Self.row(moved), record: awaiting, listing: Self.listing).kind == .update)
        // A refusal: the refused ACS user is deleted and made again.
        var refused = Self.record(of: reservation, status: .partial)
        refused.refusal = "failed_to_create_on_acs_system"
        #expect(planner.decide(Self.row(reservation), record: refused, listing: Self.listing) == .replace(Stay(reservation, at: Self.listing), old: refused))
        // A refused early departure is revoked again even without --cleanup-expired.
        #expect(planner.decide(Self.row(reservation, expired: true), record: refused, listing: Self.listing)
                == .revoke(Stay(reservation, at: Self.listing), .trusted(refused.knownProgress)))
    }

    @Test func anUnconfirmedDeletionIsSeenThroughBeforeAnythingElse() {
        let reservation = Self.reservation()
        let cancelled = Self.reservation(status: .cancelled)
        var deleting = Self.record(of: cancelled, status: .revoked, keys: ProvisionedKeys(userIdentityID: "identity-1", acsUserID: "user-1"))
        deleting.awaiting = .revoke
        #expect(deleting.holdsKeys && deleting.expectation == .absent(acsUserID: "user-1", acsSystemID: Self.listing.acsSystemID))
        #expect(planner.decide(Self.row(cancelled), record: deleting, listing: Self.listing) == .confirm(deleting))
        #expect(PlannedAction.confirm(deleting).successStatus == .revoked)
        // Confirmed again meanwhile: the deletion is seen through first, the new key comes next run.
        #expect(planner.decide(Self.row(reservation), record: deleting, listing: Self.listing) == .confirm(deleting))
        #expect(planner.decide(Self.row(reservation, expired: true), record: deleting, listing: Self.listing) == .confirm(deleting))
    }

    @Test func invalidRowsAndUnknownListingsAreNeverSent() {
        let row = ValidatedRow(identity: .init(line: 3, reservationID: "R-2", guestEmail: "", listingID: "A-101"), verdict: .invalid([]))
        #expect(planner.decide(row, record: nil, listing: Self.listing) == .none(.invalid))
        #expect(planner.decide(Self.row(Self.reservation()), record: nil, listing: nil) == .none(.invalid))
    }

    @Test func actionKindsNameTheResultsColumn() {
        let stay = Stay(Self.reservation(), at: Self.listing)
        let record = Self.record(of: Self.reservation())
        #expect(PlannedAction.revokeAbsent(record).kind == .revoke)
        #expect(PlannedAction.revokeAbsent(record).successStatus == .revoked)
        #expect(PlannedAction.provision(.update, stay, .lookUpEverything).successStatus == .updated)
        #expect(PlannedAction.cleanup(stay, .lookUpEverything).kind.rawValue == "cleanup")
    }
}
