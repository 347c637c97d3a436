/// Groups a run's reservations by guest and site, works out each guest's visits there and what
/// Seam should hold, and diffs that against the state: the whole plan of a run, before any call.
///
/// Pure: the file's stays, the state's records and the time in; a `SiteBook` out. Every rule of
/// the one-user-per-guest-and-site model (visits, deferral, revocation, moving a workspace of the
/// old model) is decided here, and testable without a database or a server.
public struct SitePlanner: Sendable {
    public var hasState: Bool
    public var cleanupExpired: Bool
    /// Stays less than this apart (or overlapping) form one visit.
    public var joinGap: Duration
    public var now: Timestamp

    public init(hasState: Bool, cleanupExpired: Bool, joinGap: Duration = .seconds(86_400), now: Timestamp) {
        self.hasState = hasState
        self.cleanupExpired = cleanupExpired
        self.joinGap = joinGap
        self.now = now
    }

    /// - Parameters:
    ///   - stays: the file's valid rows (current or expired) whose listing is known.
    ///   - records: the state's reservation records: those of the file's rows and every one that
    ///     may still hold access.
    ///   - sites: the state's guest-site records.
    ///   - dropping: `--sync` (and its guard allows it): records the file lacks lose their access.
    ///   - seen: every reservation id in the file, readable or not.
    ///   - listing: the listing of a record the file lacks (for its access groups).
    public func book(stays: [Stay], records: [String: StateRecord], sites: [GuestSite: GuestSiteRecord], dropping: Bool,
                     seen: Set<String>, listing: (String) -> Listing?) -> SiteBook {
        var siteStays: [GuestSite: [SiteStay]] = [:]
        var contacts: [GuestSite: SiteContact] = [:]
        var pending: [(id: String, site: GuestSite, standing: SiteStay.Standing, record: StateRecord?, former: [GuestSite])] = []
        var droppedRecords: [StateRecord] = []

        for stay in stays {
            let reservation = stay.reservation
            let site = GuestSite(guestEmail: reservation.guestEmail, acsSystemID: stay.listing.acsSystemID)
            let record = hasState ? records[reservation.reservationID] : nil
            var standing = SiteStay.Standing.live
            if reservation.status == .cancelled {
                // Revoked by an earlier run on this very site: nothing to end (no call); else it ends.
                let revoked = record.map { !$0.mayHoldAccess && $0.site == site } ?? false
                standing = revoked ? .closed : .ended
            } else if reservation.checkOut <= now {
                // Check-out moved into the past while the stay held access: an early departure,
                // whose key must go now (Seam refuses a schedule ending in the past).
                let heldAccess = record.map { $0.mayHoldAccess && $0.checkOut != reservation.checkOut && $0.checkOut > now } ?? false
                standing = heldAccess ? .ended : .expired
            }
            siteStays[site, default: []].append(SiteStay(reservationID: reservation.reservationID, accessGroupIDs: stay.listing.accessGroupIDs,
                                                         checkIn: reservation.checkIn, checkOut: reservation.checkOut, standing: standing))
            if contacts[site] == nil || (contacts[site]?.guestName == nil && reservation.guestName != nil) {
                contacts[site] = SiteContact(guestName: reservation.guestName, guestPhone: reservation.guestPhone)
            }
            var former: [GuestSite] = []
            if let record, record.site != site, record.mayHoldAccess {
                // Another guest or site now: the access given on the old one ends.
                former.append(record.site)
                siteStays[record.site, default: []].append(SiteStay(reservationID: record.reservationID, accessGroupIDs: [],
                                                                    checkIn: record.checkIn, checkOut: record.checkOut, standing: .ended))
            }
            pending.append((reservation.reservationID, site, standing, record, former))
        }
        // Stays the file no longer lists: still live without `--sync`, ended with it. A row the
        // file lists but could not read (invalid tonight) keeps what the state last knew of it.
        let valid = Set(stays.map(\.reservationID))
        for record in records.values where !valid.contains(record.reservationID) && record.mayHoldAccess {
            let dropped = dropping && !seen.contains(record.reservationID)
            let standing: SiteStay.Standing = dropped || record.status == .ending ? .ended : record.checkOut > now ? .live : .expired
            siteStays[record.site, default: []].append(SiteStay(reservationID: record.reservationID,
                                                                accessGroupIDs: listing(record.listingID)?.accessGroupIDs ?? [],
                                                                checkIn: record.checkIn, checkOut: record.checkOut, standing: standing))
            if dropped {
                droppedRecords.append(record)
                pending.append((record.reservationID, record.site, .ended, record, []))
            }
        }

        var book = SiteBook(dropped: droppedRecords.sorted { $0.reservationID < $1.reservationID })
        for (site, stays) in siteStays {
            let goal = SiteGoal.of(stays, joinGap: joinGap, cleanupExpired: cleanupExpired)
            let record = hasState ? sites[site] : nil
            let contact = contacts[site] ?? SiteContact()
            let (action, kind) = action(for: goal, record: record, contact: contact, endsAccess: stays.contains { $0.standing == .ended })
            book.plans[site] = SitePlan(site: site, goal: goal, action: action, kind: kind, record: record, contact: contact)
        }
        // A guest's site no stay points to any more (its last stay moved to another guest or site,
        // and the run that moved it did not see the old user gone): whatever user it holds opens
        // doors for no stay, so it goes (or its deletion is re-checked).
        for (site, record) in sites where hasState && siteStays[site] == nil && (record.holdsUser || !record.retired.isEmpty) {
            let (action, kind) = action(for: .remove, record: record, contact: SiteContact(), endsAccess: true)
            book.plans[site] = SitePlan(site: site, goal: .remove, action: action, kind: kind, record: record)
        }
        for item in pending {
            let goal = book.plans[item.site]?.goal ?? .leave
            let sameSite = item.record?.site == item.site
            let role: StayRole
            switch item.standing {
            case .ended:
                role = .ended(alreadyRevoked: false)
            case .closed:
                role = .ended(alreadyRevoked: true)
            case .expired:
                role = .expired(cleanedUp: goal == .remove && cleanupExpired)
            case .live:
                if let (visit, isCurrent) = goal.visit(holding: item.id), !isCurrent, let held = goal.current {
                    role = .deferred(held: held, own: visit)
                } else {
                    role = .current(hadKey: sameSite && item.record?.status == .provisioned)
                }
            }
            book.entries[item.id] = SiteBook.Entry(site: item.site, role: role, formerSites: item.former)
        }
        return book
    }

    /// What the site needs, and the results' action for its rows.
    func action(for goal: SiteGoal, record: GuestSiteRecord?, contact: SiteContact, endsAccess: Bool) -> (SiteAction, ActionKind) {
        switch goal {
        case .hold(let visit, _):
            guard hasState, let record else {
                // Never provisioned with this state file, which proves nothing about Seam: a new
                // or lost state file, keys made by an earlier tool. Look before creating.
                return (.hold(visit, contact, .lookUpEverything), .create)
            }
            if record.holds(visit) {
                return record.awaiting == nil ? (.none, .none) : (.confirm(record), .confirm)
            }
            let kind: ActionKind
            if !record.holdsUser || record.refusal != nil {
                // None yet, or the site refused it: the guest's user is made (again).
                kind = .create
            } else if (record.pendingCreate != nil && record.pendingCreate != .accessGroups) || record.keys.acsCredentialID == nil {
                kind = .resume
            } else if let held = record.keys.schedule, held.endsAt <= now, held != visit.schedule {
                kind = .move
            } else {
                kind = .update
            }
            return (.hold(visit, contact, .trusted(record)), kind)
        case .remove:
            let kind: ActionKind = endsAccess ? .revoke : .cleanup
            guard hasState else { return (.remove(.lookUpEverything), kind) }
            guard let record else {
                // A cancellation the state never saw provisioned may still have keys from an
                // earlier tool or a lost state file: look. A stay merely over does not.
                return endsAccess ? (.remove(.lookUpEverything), kind) : (.none, .none)
            }
            if record.awaitsDeletion && record.refusal == nil && record.retired.isEmpty { return (.confirm(record), .confirm) }
            guard record.holdsUser || !record.retired.isEmpty else { return (.none, .none) }
            return (.remove(.trusted(record)), kind)
        case .leave:
            // No stay asks for access and none ends tonight, but an earlier run's deletion may
            // still await the site (a run killed before it confirmed), have been refused, or
            // have old-model users left: seen through, never dropped.
            guard hasState, let record else { return (.none, .none) }
            if record.awaitsDeletion && record.refusal == nil && record.retired.isEmpty { return (.confirm(record), .confirm) }
            if (record.refusal != nil && record.keys.acsUserID != nil) || !record.retired.isEmpty { return (.remove(.trusted(record)), .revoke) }
            return (.none, .none)
        }
    }

    /// `--verify`: what mends the drift between Seam and a site the state says needs nothing,
    /// judged by `DriftJudge` (the rule `export` reports by), or nil when there is none to mend.
    /// Every mend starts from what Seam showed, never from the state: a missing user or key is
    /// looked up by natural key once more before it is made (a sweep is a snapshot).
    public func repair(_ plan: SitePlan, seam: SeamObservation) -> SitePlan? {
        guard plan.action == .none, let record = plan.record else { return nil }
        var mended = plan
        mended.kind = .repair
        switch plan.goal {
        case .hold(let visit, _):
            var seen = GuestSiteRecord(site: plan.site, keys: ProvisionedKeys(userIdentityID: record.keys.userIdentityID), retired: record.retired)
            guard case .present(let user, let credentials, let groups) = seam else {
                seen.pendingCreate = .acsUser
                mended.action = .repair(.missingInSeam, .hold(visit, plan.contact, .trusted(seen)))
                return mended
            }
            let drift = DriftJudge.judge(user, keys: credentials, groups: groups, record: record)
            seen.keys.acsUserID = user.acsUserID
            seen.keys.schedule = user.schedule
            seen.keys.accessGroupIDs = groups.sorted()
            seen.keys.acsCredentialID = credentials.first { $0.isMobileKey && $0.acsCredentialID == record.keys.acsCredentialID }?.acsCredentialID
            switch drift {
            case .ok, .credentialNotSynced, .unknownToState, .missingInSeam, .notRevoked, .beingDeleted:
                // Deleted behind KeyBatch's back and Seam is still at it: tracked until gone; a
                // later --verify run then finds it missing and makes a new one.
                return nil
            case .seamError:
                // The site refused the user or its key: it goes and is made again.
                seen.keys.acsCredentialID = credentials.first(where: \.isMobileKey)?.acsCredentialID
                seen.refusal = (user.errors + credentials.flatMap(\.errors)).first?.code.rawValue ?? DriftKind.seamError.rawValue
                mended.action = .repair(.seamError, .hold(visit, plan.contact, .trusted(seen)))
            case .scheduleDiffers, .groupsDiffer, .credentialMissing:
                mended.action = .repair(drift, .hold(visit, plan.contact, .trusted(seen)))
            }
            return mended
        case .remove, .leave:
            // The state says the guest's user is gone, and Seam still holds it: the guest kept access.
            guard !record.holdsUser, case .present(let user, let credentials, _) = seam, !user.isBeingDeleted else { return nil }
            let held = GuestSiteRecord(site: plan.site, keys: ProvisionedKeys(userIdentityID: user.userIdentityID, acsUserID: user.acsUserID,
                                                                             acsCredentialID: credentials.first(where: \.isMobileKey)?.acsCredentialID))
            mended.action = .repair(.notRevoked, .remove(.trusted(held)))
            return mended
        }
    }
}
