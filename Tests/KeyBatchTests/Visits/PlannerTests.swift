import Testing
@testable import KeyBatch

/// The site planner's rules, stays and records in, a book of plans out: no database, no server.
@Suite struct PlannerTests {
    static let listing = Listing(listingID: "A-101", acsSystemID: "system-a", accessGroupIDs: ["g1", "g2"])
    static let sameSite = Listing(listingID: "A-102", acsSystemID: "system-a", accessGroupIDs: ["g3"])
    static let otherSystem = Listing(listingID: "B-201", acsSystemID: "system-b", accessGroupIDs: ["g3"])
    static let checkIn = Timestamp(year: 2027, month: 3, day: 1, hour: 15)
    static let checkOut = Timestamp(year: 2027, month: 3, day: 4, hour: 11)
    static let now = Timestamp(year: 2027, month: 2, day: 1, hour: 0)
    static let site = GuestSite(guestEmail: "a@example.com", acsSystemID: "system-a")

    static func day(_ day: Int, hour: Int, month: Int = 3) -> Timestamp { Timestamp(year: 2027, month: month, day: day, hour: hour) }

    static func reservation(_ id: String = "R-1", email: String = "a@example.com", checkIn: Timestamp = checkIn, checkOut: Timestamp = checkOut,
                            status: ReservationStatus = .confirmed, listing: Listing = listing, name: String? = nil) -> Reservation {
        Reservation(line: 2, reservationID: id, guestEmail: email, guestName: name, guestPhone: nil, listingID: listing.listingID,
                    checkIn: checkIn, checkOut: checkOut, status: status)
    }

    static func row(_ reservation: Reservation, expired: Bool = false) -> ValidatedRow {
        ValidatedRow(identity: .init(line: 2, reservationID: reservation.reservationID, guestEmail: reservation.guestEmail, listingID: reservation.listingID),
                     verdict: expired ? .expired(reservation) : .ready(reservation))
    }

    static let keys = ProvisionedKeys(userIdentityID: "identity-1", acsUserID: "user-1", accessGroupIDs: ["g1", "g2"], acsCredentialID: "key-1",
                                      schedule: AccessSchedule(startsAt: checkIn, endsAt: checkOut))

    /// What a finished run leaves for `reservation`.
    static func record(of reservation: Reservation, listing: Listing = listing, status: StateRecord.Status = .provisioned) -> StateRecord {
        StateRecord(reservationID: reservation.reservationID, fingerprint: Fingerprint(reservation, listing: listing), guestEmail: reservation.guestEmail,
                    listingID: listing.listingID, acsSystemID: listing.acsSystemID, checkIn: reservation.checkIn, checkOut: reservation.checkOut,
                    status: status)
    }

    static func siteRecord(_ keys: ProvisionedKeys = keys, site: GuestSite = site, pending: ProvisioningStep? = nil, awaiting: ActionKind? = nil,
                           refusal: String? = nil, retired: [RetiredUser] = []) -> GuestSiteRecord {
        GuestSiteRecord(site: site, keys: keys, pendingCreate: pending, awaiting: awaiting, refusal: refusal, retired: retired)
    }

    static func book(_ stays: [Stay], records: [StateRecord] = [], sites: [GuestSiteRecord] = [], hasState: Bool = true, cleanupExpired: Bool = false,
                     dropping: Bool = false, joinGap: Duration = .seconds(86_400), now: Timestamp = now) -> SiteBook {
        SitePlanner(hasState: hasState, cleanupExpired: cleanupExpired, joinGap: joinGap, now: now)
            .book(stays: stays, records: Dictionary(uniqueKeysWithValues: records.map { ($0.reservationID, $0) }),
                  sites: Dictionary(uniqueKeysWithValues: sites.map { ($0.site, $0) }), dropping: dropping,
                  seen: Set(stays.map(\.reservationID)), listing: { id in [listing, sameSite, otherSystem].first { $0.listingID == id } })
    }

    static func action(_ book: SiteBook, _ site: GuestSite = site) -> SiteAction? { book.plans[site]?.action }
    static func role(_ book: SiteBook, _ id: String) -> StayRole? { book.entries[id]?.role }

    // MARK: Visits

    @Test func staysLessThanTheJoinGapApartFormOneVisitWithTheUnionOfGroups() {
        let first = SiteStay(reservationID: "R-1", accessGroupIDs: ["g1"], checkIn: Self.day(1, hour: 15), checkOut: Self.day(4, hour: 11), standing: .live)
        let sameDay = SiteStay(reservationID: "R-2", accessGroupIDs: ["g3"], checkIn: Self.day(4, hour: 15), checkOut: Self.day(6, hour: 11), standing: .live)
        let monthLater = SiteStay(reservationID: "R-3", accessGroupIDs: ["g2"], checkIn: Self.day(4, hour: 15, month: 4), checkOut: Self.day(6, hour: 11, month: 4),
                                  standing: .live)
        let cancelled = SiteStay(reservationID: "R-4", accessGroupIDs: ["g9"], checkIn: Self.day(2, hour: 15), checkOut: Self.day(3, hour: 11), standing: .ended)
        let visits = Visit.visits(of: [monthLater, sameDay, cancelled, first], joinGap: .seconds(86_400))
        #expect(visits.count == 2)
        #expect(visits[0].schedule == AccessSchedule(startsAt: Self.day(1, hour: 15), endsAt: Self.day(6, hour: 11)))
        #expect(visits[0].accessGroupIDs == ["g1", "g3"] && visits[0].reservationIDs == ["R-1", "R-2"])
        #expect(visits[1].reservationIDs == ["R-3"])
        // With no gap allowed, four hours apart are two visits.
        #expect(Visit.visits(of: [first, sameDay], joinGap: .zero).count == 2)
    }

    @Test func aGuestsLaterVisitIsDeferredAndTheUserHoldsTheCurrentOne() {
        let first = Self.reservation("R-1")
        let second = Self.reservation("R-2", checkIn: Self.day(4, hour: 15), checkOut: Self.day(6, hour: 11), listing: Self.sameSite)
        let later = Self.reservation("R-3", checkIn: Self.day(4, hour: 15, month: 4), checkOut: Self.day(6, hour: 11, month: 4))
        let book = Self.book([Stay(later, at: Self.listing), Stay(first, at: Self.listing), Stay(second, at: Self.sameSite)], hasState: false)
        guard case .hold(let visit, let contact, .lookUpEverything)? = Self.action(book) else { Issue.record("expected hold"); return }
        #expect(visit.schedule == AccessSchedule(startsAt: Self.checkIn, endsAt: Self.day(6, hour: 11)))
        #expect(visit.accessGroupIDs == ["g1", "g2", "g3"])
        #expect(contact.fullName(for: Self.site) == "a@example.com")
        #expect(Self.role(book, "R-1") == .current(hadKey: false) && Self.role(book, "R-2") == .current(hadKey: false))
        guard case .deferred(let held, let own)? = Self.role(book, "R-3") else { Issue.record("expected deferred"); return }
        #expect(held == visit && own.reservationIDs == ["R-3"])
        #expect(book.plans.count == 1)
    }

    @Test func theFirstRunAfterAVisitEndsMovesTheUserToTheNextOne() {
        let first = Self.reservation("R-1")
        let later = Self.reservation("R-3", checkIn: Self.day(4, hour: 15, month: 4), checkOut: Self.day(6, hour: 11, month: 4))
        let afterFirst = Self.day(5, hour: 0)
        let book = Self.book([Stay(first, at: Self.listing), Stay(later, at: Self.listing)], records: [Self.record(of: first), Self.record(of: later, status: .deferred)],
                             sites: [Self.siteRecord()], now: afterFirst)
        guard case .hold(let visit, _, .trusted)? = Self.action(book) else { Issue.record("expected hold"); return }
        #expect(visit.reservationIDs == ["R-3"] && book.plans[Self.site]?.kind == .move)
        #expect(Self.role(book, "R-3") == .current(hadKey: false))
    }

    // MARK: The state

    @Test func aSiteTheStateHoldsAsTheVisitCostsNothing() {
        let reservation = Self.reservation()
        let book = Self.book([Stay(reservation, at: Self.listing)], records: [Self.record(of: reservation)], sites: [Self.siteRecord()])
        #expect(Self.action(book) == SiteAction.none)
        let planner = RowPlanner(book: book, hasState: true)
        #expect(planner.decide(Self.row(reservation), listing: Self.listing, record: Self.record(of: reservation)) == .none(.unchanged))
        // Awaiting the site's confirmation: only re-checked.
        let awaiting = Self.book([Stay(reservation, at: Self.listing)], records: [Self.record(of: reservation)], sites: [Self.siteRecord(awaiting: .update)])
        #expect(Self.action(awaiting) == .confirm(Self.siteRecord(awaiting: .update)))
    }

    @Test func aSecondStayOfAKnownGuestUpdatesTheUserNotANewOne() {
        let first = Self.reservation("R-1")
        let second = Self.reservation("R-2", checkIn: Self.day(2, hour: 15), checkOut: Self.day(5, hour: 11), listing: Self.sameSite)
        let book = Self.book([Stay(first, at: Self.listing), Stay(second, at: Self.sameSite)], records: [Self.record(of: first)], sites: [Self.siteRecord()])
        guard case .hold(let visit, _, .trusted(let record))? = Self.action(book) else { Issue.record("expected hold"); return }
        #expect(record == Self.siteRecord() && book.plans[Self.site]?.kind == .update)
        #expect(visit.accessGroupIDs == ["g1", "g2", "g3"] && visit.endsAt == Self.day(5, hour: 11))
        #expect(Self.role(book, "R-2") == .current(hadKey: false) && Self.role(book, "R-1") == .current(hadKey: true))
    }

    @Test func withoutAStateOrARecordEverythingIsLookedUp() {
        let reservation = Self.reservation()
        for book in [Self.book([Stay(reservation, at: Self.listing)], hasState: false), Self.book([Stay(reservation, at: Self.listing)])] {
            guard case .hold(_, _, .lookUpEverything)? = Self.action(book) else { Issue.record("expected a lookup"); return }
            #expect(book.plans[Self.site]?.kind == .create)
        }
        let cancelled = Self.reservation(status: .cancelled)
        #expect(Self.action(Self.book([Stay(cancelled, at: Self.listing)], hasState: false)) == .remove(.lookUpEverything))
    }

    @Test func aHalfDoneSiteIsResumedKeepingWhatItAnnounced() {
        let reservation = Self.reservation()
        let half = Self.siteRecord(ProvisionedKeys(userIdentityID: "identity-1"), pending: .acsUser)
        let book = Self.book([Stay(reservation, at: Self.listing)], records: [Self.record(of: reservation, status: .partial)], sites: [half])
        #expect(Self.action(book) == .hold(Visit.visits(of: [SiteStay(reservationID: "R-1", accessGroupIDs: ["g1", "g2"], checkIn: Self.checkIn,
                                                                       checkOut: Self.checkOut, standing: .live)], joinGap: .zero)[0],
                                           SiteContact(), .trusted(half)))
        #expect(book.plans[Self.site]?.kind == .resume)
    }

    // MARK: Revocation

    @Test func aCancellationShrinksTheVisitAndOnlyTheLastStayDeletesTheUser() {
        let first = Self.reservation("R-1")
        let second = Self.reservation("R-2", checkIn: Self.day(2, hour: 15), checkOut: Self.day(6, hour: 11), status: .cancelled, listing: Self.sameSite)
        let records = [Self.record(of: first), Self.record(of: second, listing: Self.sameSite)]
        let held = Self.siteRecord(ProvisionedKeys(userIdentityID: "identity-1", acsUserID: "user-1", accessGroupIDs: ["g1", "g2", "g3"],
                                                   acsCredentialID: "key-1", schedule: AccessSchedule(startsAt: Self.checkIn, endsAt: Self.day(6, hour: 11))))
        let shrink = Self.book([Stay(first, at: Self.listing), Stay(second, at: Self.sameSite)], records: records, sites: [held])
        guard case .hold(let visit, _, _)? = Self.action(shrink) else { Issue.record("expected hold"); return }
        #expect(visit.accessGroupIDs == ["g1", "g2"] && visit.endsAt == Self.checkOut)
        #expect(Self.role(shrink, "R-2") == .ended(alreadyRevoked: false))
        let both = Self.book([Stay(Self.reservation("R-1", status: .cancelled), at: Self.listing), Stay(second, at: Self.sameSite)], records: records, sites: [held])
        #expect(Self.action(both) == .remove(.trusted(held)) && both.plans[Self.site]?.kind == .revoke)
        // Once revoked and confirmed gone, a cancelled row costs nothing.
        let gone = Self.siteRecord(ProvisionedKeys(userIdentityID: "identity-1"))
        let again = Self.book([Stay(Self.reservation("R-1", status: .cancelled), at: Self.listing)], records: [Self.record(of: first, status: .revoked)],
                              sites: [gone])
        #expect(Self.action(again) == SiteAction.none && Self.role(again, "R-1") == .ended(alreadyRevoked: true))
    }

    /// A cancellation whose revoke failed is `ending` in the state: when the next export no longer
    /// lists it, it still ends (it is never taken for a live stay and granted again); one revoked
    /// earlier costs nothing.
    @Test func aCancellationNotYetConfirmedNeverCountsAsLiveAgain() {
        let kept = Self.reservation("R-1")
        let cancelled = Self.reservation("R-2", checkIn: Self.day(2, hour: 15), checkOut: Self.day(6, hour: 11), status: .cancelled, listing: Self.sameSite)
        let wide = Self.siteRecord(ProvisionedKeys(userIdentityID: "identity-1", acsUserID: "user-1", accessGroupIDs: ["g1", "g2", "g3"],
                                                   acsCredentialID: "key-1", schedule: AccessSchedule(startsAt: Self.checkIn, endsAt: Self.day(6, hour: 11))))
        let book = Self.book([Stay(kept, at: Self.listing)], records: [Self.record(of: kept), Self.record(of: cancelled, listing: Self.sameSite, status: .ending)],
                             sites: [wide])
        guard case .hold(let visit, _, _)? = Self.action(book) else { Issue.record("expected hold"); return }
        #expect(visit.reservationIDs == ["R-1"] && visit.accessGroupIDs == ["g1", "g2"])
        // Revoked before and still listed as cancelled: no call for it.
        let gone = Self.siteRecord(ProvisionedKeys(userIdentityID: "identity-1"))
        let quiet = Self.book([Stay(cancelled, at: Self.sameSite)], records: [Self.record(of: cancelled, listing: Self.sameSite, status: .revoked)], sites: [gone])
        #expect(Self.action(quiet) == SiteAction.none && Self.role(quiet, "R-2") == .ended(alreadyRevoked: true))
        let neverSeen = Self.book([Stay(cancelled, at: Self.sameSite)], records: [Self.record(of: cancelled, listing: Self.sameSite, status: .revoked)], sites: [])
        #expect(Self.action(neverSeen) == SiteAction.none)
    }

    /// Found by the soak: a deletion a killed run sent and never saw confirmed, for a guest whose
    /// stays are all revoked, is re-checked (and a refused one deleted again), never dropped.
    @Test func aDeletionLeftUnconfirmedIsSeenThroughWhenNoStayAsksForAccess() {
        let cancelled = Self.reservation(status: .cancelled)
        let deleting = Self.siteRecord(awaiting: .revoke)
        let book = Self.book([Stay(cancelled, at: Self.listing)], records: [Self.record(of: cancelled, status: .revoked)], sites: [deleting])
        #expect(book.plans[Self.site]?.goal == .leave && Self.action(book) == .confirm(deleting))
        let refused = Self.siteRecord(refusal: "failed_to_delete_on_acs_system")
        let again = Self.book([Stay(cancelled, at: Self.listing)], records: [Self.record(of: cancelled, status: .revoked)], sites: [refused])
        #expect(Self.action(again) == .remove(.trusted(refused)))
    }

    /// Found by the soak: a row that needs no call but a state write (a stay inside the visit the
    /// user already holds, a later visit's new stay) still shows its guest's ids.
    @Test func aRowThatOnlyUpdatesTheStateShowsTheGuestsIDs() {
        let first = Self.reservation("R-1")
        let inside = Self.reservation("R-2", checkIn: Self.day(2, hour: 15), checkOut: Self.day(3, hour: 11))
        let book = Self.book([Stay(first, at: Self.listing), Stay(inside, at: Self.listing)], records: [Self.record(of: first)], sites: [Self.siteRecord()])
        #expect(Self.action(book) == SiteAction.none)
        let action = RowPlanner(book: book, hasState: true).decide(Self.row(inside), listing: Self.listing, record: nil)
        #expect(action == .record(reservationID: "R-2", Stay(inside, at: Self.listing), .current(hadKey: false), keys: Self.keys))
        #expect(action.successStatus == .provisioned)
    }

    @Test func aStayMissingUnderSyncIsDroppedAndOtherwiseStillCounts() {
        let kept = Self.reservation("R-1")
        let missing = Self.reservation("R-2", checkIn: Self.day(2, hour: 15), checkOut: Self.day(6, hour: 11), listing: Self.sameSite)
        let records = [Self.record(of: kept), Self.record(of: missing, listing: Self.sameSite)]
        let stays = [Stay(kept, at: Self.listing)]
        let withoutSync = Self.book(stays, records: records, sites: [Self.siteRecord()])
        guard case .hold(let visit, _, _)? = Self.action(withoutSync) else { Issue.record("expected hold"); return }
        #expect(visit.reservationIDs == ["R-1", "R-2"] && withoutSync.dropped.isEmpty)
        let withSync = Self.book(stays, records: records, sites: [Self.siteRecord()], dropping: true)
        #expect(Self.action(withSync) == SiteAction.none)
        #expect(withSync.dropped.map(\.reservationID) == ["R-2"] && Self.role(withSync, "R-2") == .ended(alreadyRevoked: false))
    }

    @Test func aNewEmailOrSiteMovesTheStayAndEndsItsAccessWhereItWas() {
        let reservation = Self.reservation()
        let newEmail = Self.reservation(email: "b@example.com")
        let book = Self.book([Stay(newEmail, at: Self.listing)], records: [Self.record(of: reservation)], sites: [Self.siteRecord()])
        let newSite = GuestSite(guestEmail: "b@example.com", acsSystemID: "system-a")
        #expect(book.entries["R-1"]?.sites == [newSite, Self.site])
        #expect(Self.action(book) == .remove(.trusted(Self.siteRecord())))
        guard case .hold(_, _, .lookUpEverything)? = Self.action(book, newSite) else { Issue.record("expected hold on the new site"); return }
    }

    @Test func anEarlyDepartureEndsAccessAndExpiryAloneDoesNot() {
        let reservation = Self.reservation()
        let now = Self.day(3, hour: 12)
        let early = Self.reservation(checkOut: Self.day(3, hour: 9))
        let book = Self.book([Stay(early, at: Self.listing)], records: [Self.record(of: reservation)], sites: [Self.siteRecord()], now: now)
        #expect(Self.action(book) == .remove(.trusted(Self.siteRecord())))
        let over = Self.book([Stay(reservation, at: Self.listing)], records: [Self.record(of: reservation)], sites: [Self.siteRecord()], now: Self.day(5, hour: 0))
        #expect(Self.action(over) == SiteAction.none && Self.role(over, "R-1") == .expired(cleanedUp: false))
        let cleaned = Self.book([Stay(reservation, at: Self.listing)], records: [Self.record(of: reservation)], sites: [Self.siteRecord()], cleanupExpired: true,
                                now: Self.day(5, hour: 0))
        #expect(Self.action(cleaned) == .remove(.trusted(Self.siteRecord())) && cleaned.plans[Self.site]?.kind == .cleanup)
        #expect(Self.role(cleaned, "R-1") == .expired(cleanedUp: true))
    }

    @Test func aSiteWithUsersToRetireIsNotDoneUntilTheyAreGone() {
        let reservation = Self.reservation()
        let migrated = Self.siteRecord(retired: [RetiredUser(acsUserID: "user-0")])
        let book = Self.book([Stay(reservation, at: Self.listing)], records: [Self.record(of: reservation)], sites: [migrated])
        guard case .hold(_, _, .trusted(let record))? = Self.action(book) else { Issue.record("expected hold"); return }
        #expect(record.retired == [RetiredUser(acsUserID: "user-0")])
    }

    @Test func keeperIsTheKnownUserElseTheOneHoldingTheVisitElseTheOldest() {
        let visit = Visit(startsAt: Self.checkIn, endsAt: Self.checkOut, accessGroupIDs: [], reservationIDs: ["R-1"])
        let old = ACSUserState(acsUserID: "u-old", schedule: AccessSchedule(startsAt: Self.day(1, hour: 0, month: 1), endsAt: Self.day(2, hour: 0, month: 1)),
                               createdAt: "1")
        let holding = ACSUserState(acsUserID: "u-hold", schedule: AccessSchedule(startsAt: Self.checkIn, endsAt: Self.checkOut), createdAt: "2")
        let unscheduled = ACSUserState(acsUserID: "u-none", createdAt: "0")
        #expect(Provisioner.keeper(among: [old, holding, unscheduled], known: nil, visit: visit)?.acsUserID == "u-hold")
        #expect(Provisioner.keeper(among: [old, holding, unscheduled], known: "u-old", visit: visit)?.acsUserID == "u-old")
        #expect(Provisioner.keeper(among: [old, unscheduled], known: nil, visit: visit)?.acsUserID == "u-none")
        #expect(Provisioner.keeper(among: [], known: nil, visit: visit) == nil)
    }
}
