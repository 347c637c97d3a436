import Testing
@testable import KeyBatch

/// The provisioner's choice of calls, against an in-memory Seam that records them.
@Suite struct ProvisionerTests {
    static let site = PlannerTests.site
    static let schedule = AccessSchedule(startsAt: PlannerTests.checkIn, endsAt: PlannerTests.checkOut)
    static let visit = Visit(startsAt: PlannerTests.checkIn, endsAt: PlannerTests.checkOut, accessGroupIDs: ["g1", "g2"], reservationIDs: ["R-1"])
    static let contact = SiteContact(guestName: "Ann Guest")

    static func seam() -> RecordingSeamOperations {
        RecordingSeamOperations(systems: ["system-a": ["g1", "g2", "g3", "g9"], "system-b": ["g3"]])
    }

    static func provisioner(_ seam: RecordingSeamOperations, siteWait: Duration = .seconds(5)) -> Provisioner {
        Provisioner(operations: seam, identities: IdentityDirectory(operations: seam), siteWait: siteWait)
    }

    static func hold(_ provisioner: Provisioner, visit: Visit = visit, knowledge: SiteKnowledge) async throws -> SiteOutcome {
        try await provisioner.hold(site, visit: visit, contact: contact, knowledge: knowledge)
    }

    /// A new guest costs three creates: identity, user (schedule and groups in the one call), key;
    /// the identity lookup before them is what a state file that knows nothing must pay (on a bulk
    /// run one listing of the workspace's identities answers it), and an identity this run made
    /// owns no ACS user to look for.
    @Test func aNewGuestIsOneUserWithScheduleAndGroupsInTheCreate() async throws {
        let seam = Self.seam()
        let outcome = try await Self.hold(Self.provisioner(seam), knowledge: .trusted(GuestSiteRecord(site: Self.site)))
        #expect(seam.calls == [.findUserIdentity, .createUserIdentity, .createACSUser, .createMobileKey])
        let user = try #require(seam.users.first)
        #expect(user.fullName == "Ann Guest" && user.groups == ["g1", "g2"] && user.schedule == Self.schedule)
        #expect(outcome.keys.acsUserID == user.acsUserID && outcome.keys.acsCredentialID != nil && outcome.keys.accessGroupIDs == ["g1", "g2"])
        #expect(outcome.expectation == .present(acsUserID: user.acsUserID, acsCredentialID: outcome.keys.acsCredentialID!, acsSystemID: "system-a",
                                                accessGroupIDs: ["g1", "g2"], schedule: Self.schedule))
    }

    @Test func lookingEverythingUpAdoptsWhatSeamHoldsInsteadOfCreatingIt() async throws {
        let seam = Self.seam()
        seam.seedUser(email: "a@example.com", acsSystemID: "system-a", fullName: "R-1", schedule: Self.schedule, groups: ["g1", "g9"], withKey: true)
        let outcome = try await Self.hold(Self.provisioner(seam), knowledge: .lookUpEverything)
        #expect(!seam.calls.contains(.createACSUser) && !seam.calls.contains(.createMobileKey) && !seam.calls.contains(.createUserIdentity))
        // The groups are made to match the visit: g2 added, g9 removed.
        #expect(seam.calls.filter { $0 == .addToAccessGroup }.count == 1 && seam.calls.filter { $0 == .removeFromAccessGroup }.count == 1)
        #expect(seam.users.count == 1 && seam.credentialCount == 1 && outcome.keys.acsUserID == seam.users.first?.acsUserID)
    }

    /// A second stay of a known guest: one update (the schedule grows), one add (the new
    /// listing's group), no new user and no new key.
    @Test func aSecondStayOfAKnownGuestCostsOneUpdatePlusItsGroupChanges() async throws {
        let seam = Self.seam()
        let first = try await Self.hold(Self.provisioner(seam), knowledge: .lookUpEverything)
        seam.resetCalls()
        let longer = Visit(startsAt: PlannerTests.checkIn, endsAt: PlannerTests.day(6, hour: 11), accessGroupIDs: ["g1", "g2", "g3"], reservationIDs: ["R-1", "R-2"])
        let second = try await Self.hold(Self.provisioner(seam), visit: longer, knowledge: .trusted(GuestSiteRecord(site: Self.site, keys: first.keys)))
        #expect(seam.calls == [.updateSchedule, .addToAccessGroup])
        #expect(second.keys.acsUserID == first.keys.acsUserID && second.keys.acsCredentialID == first.keys.acsCredentialID)
        #expect(seam.users.count == 1 && seam.users[0].groups == ["g1", "g2", "g3"] && seam.users[0].schedule.endsAt == PlannerTests.day(6, hour: 11))
    }

    /// Found by the 20-minute soak: a run deleted the guest's user and was killed before its
    /// confirmation; the site refused the deletion; a later stay of the guest asks for access
    /// again. The refused deletion is sent again and seen through before the guest's new user is
    /// made, rather than judged refused on every run.
    @Test func aDeletionTheSiteRefusedAfterTheRunStoppedIsSentAgainBeforeTheNewUser() async throws {
        let seam = Self.seam()
        let first = try await Self.hold(Self.provisioner(seam), knowledge: .lookUpEverything)
        let old = try #require(first.keys.acsUserID)
        seam.addError(SeamIssue(seam: SeamCode("failed_to_delete_on_acs_system"), message: "The access system refused to delete the user."), toACSUser: old)
        seam.resetCalls()
        // As a sent deletion leaves the record: the user awaiting deletion, the key forgotten.
        let awaiting = GuestSiteRecord(site: Self.site, keys: ProvisionedKeys(userIdentityID: first.keys.userIdentityID, acsUserID: old),
                                       awaiting: .revoke)
        let second = try await Self.hold(Self.provisioner(seam), knowledge: .trusted(awaiting))
        #expect(seam.calls.prefix(3) == [.acsUserState, .deleteACSUser, .acsUserState], "\(seam.calls)")
        #expect(second.keys.acsUserID != nil && second.keys.acsUserID != old)
        #expect(seam.users.count == 1 && seam.users[0].acsUserID == second.keys.acsUserID)
    }

    /// The other side of the rule above: an old user whose deletion the site did carry out is
    /// not deleted again, and the one look that found it gone is the wait's first (not asked twice).
    @Test func aDeletionTheSiteCarriedOutIsNotSentAgainAndLookedAtOnce() async throws {
        let seam = Self.seam()
        let first = try await Self.hold(Self.provisioner(seam), knowledge: .lookUpEverything)
        let old = try #require(first.keys.acsUserID)
        try await seam.deleteACSUser(acsUserID: old)
        seam.resetCalls()
        let awaiting = GuestSiteRecord(site: Self.site, keys: ProvisionedKeys(userIdentityID: first.keys.userIdentityID, acsUserID: old),
                                       awaiting: .revoke)
        let second = try await Self.hold(Self.provisioner(seam), knowledge: .trusted(awaiting))
        #expect(!seam.calls.contains(.deleteACSUser) && !seam.calls.contains(.deleteCredential), "\(seam.calls)")
        #expect(seam.calls.filter { $0 == .acsUserState }.count == 1, "\(seam.calls)")
        #expect(second.keys.acsUserID != nil && second.keys.acsUserID != old)
        #expect(seam.users.count == 1 && seam.users[0].acsUserID == second.keys.acsUserID)
    }

    /// Many new guests: identity lookups one by one until the threshold, then one listing of the
    /// workspace's identities answers the rest; then three creates each.
    @Test func aBulkRunOfNewGuestsCostsThreeCallsEachAfterOneListing() async throws {
        let seam = Self.seam()
        let provisioner = Self.provisioner(seam)
        for guest in 0..<20 {
            _ = try await provisioner.hold(GuestSite(guestEmail: "new\(guest)@example.com", acsSystemID: "system-a"), visit: Self.visit,
                                           contact: SiteContact(), knowledge: .lookUpEverything)
        }
        #expect(seam.calls.filter { $0 == .findUserIdentity }.count == IdentityDirectory.threshold)
        #expect(seam.calls.filter { $0 == .listUserIdentities }.count == 1)
        #expect(seam.calls.filter { [.createUserIdentity, .createACSUser, .createMobileKey].contains($0) }.count == 60)
        #expect(seam.calls.count == IdentityDirectory.threshold + 1 + 60)
        #expect(seam.users.count == 20 && seam.credentialCount == 20 && seam.identityCount == 20)
    }

    /// A first run over many existing guests: per-guest lookups until the threshold, then one
    /// sweep of the system (users and keys) answers the rest; nothing is created.
    @Test func aBulkFirstRunSweepsEachSystemOnceInsteadOfAskingPerGuest() async throws {
        let seam = Self.seam()
        let sites = (1...12).map { GuestSite(guestEmail: "g\($0)@example.com", acsSystemID: "system-a") }
        for site in sites {
            seam.seedUser(email: site.guestEmail, acsSystemID: "system-a", fullName: site.guestEmail, schedule: Self.schedule, groups: ["g1", "g2"], withKey: true)
        }
        seam.resetCalls()
        let provisioner = Self.provisioner(seam)
        for site in sites { _ = try await provisioner.hold(site, visit: Self.visit, contact: SiteContact(), knowledge: .lookUpEverything) }
        #expect(!seam.calls.contains(.createACSUser) && !seam.calls.contains(.createMobileKey))
        #expect(seam.calls.filter { $0 == .findACSUsers }.count == ACSSystemSweep.threshold)
        #expect(seam.calls.filter { $0 == .findMobileKey }.count == ACSSystemSweep.threshold)
        #expect(seam.calls.filter { $0 == .acsUserStates }.count == 1 && seam.calls.filter { $0 == .credentialStates }.count == 1)
        #expect(seam.users.count == 12 && seam.credentialCount == 12)
    }

    /// The index only says yes: a user it lacks (made after the sweep) or forgot (deleted by the
    /// run) is asked of Seam directly, never taken as absent or adopted back.
    @Test func theSweepAdoptsFromItsIndexButNeverConcludesAbsence() async throws {
        let seam = Self.seam()
        let sweep = ACSSystemSweep(operations: seam, threshold: 0)
        let user = seam.seedUser(email: "a@example.com", acsSystemID: "system-a", fullName: "Ann", schedule: Self.schedule, groups: [], withKey: false)
        #expect(try await sweep.findACSUsers(acsSystemID: "system-a", userIdentityID: user.userIdentityID).map(\.acsUserID) == [user.acsUserID])
        #expect(seam.calls.contains(.acsUserStates) && !seam.calls.contains(.findACSUsers))
        seam.deleteBehindTheBack(acsUserID: user.acsUserID)
        await sweep.forget(acsUserID: user.acsUserID)
        #expect(try await sweep.findACSUsers(acsSystemID: "system-a", userIdentityID: user.userIdentityID).isEmpty)
        let later = seam.seedUser(email: "b@example.com", acsSystemID: "system-a", fullName: "Bo", schedule: Self.schedule, groups: [], withKey: false)
        #expect(try await sweep.findACSUsers(acsSystemID: "system-a", userIdentityID: later.userIdentityID).map(\.acsUserID) == [later.acsUserID])
        #expect(seam.calls.filter { $0 == .findACSUsers }.count == 2)
    }

    @Test func aTrustedCompleteRecordCostsNoCall() async throws {
        let seam = Self.seam()
        let keys = ProvisionedKeys(userIdentityID: "identity-1", acsUserID: "user-1", accessGroupIDs: ["g1", "g2"], acsCredentialID: "key-1", schedule: Self.schedule)
        let outcome = try await Self.hold(Self.provisioner(seam), knowledge: .trusted(GuestSiteRecord(site: Self.site, keys: keys)))
        #expect(seam.calls.isEmpty && outcome.keys == keys)
    }

    @Test func anAnnouncedCreateIsLookedUpBeforeAnythingIsMade() async throws {
        let seam = Self.seam()
        let user = seam.seedUser(email: "a@example.com", acsSystemID: "system-a", fullName: "Ann", schedule: Self.schedule, groups: [], withKey: false)
        let record = GuestSiteRecord(site: Self.site, keys: ProvisionedKeys(userIdentityID: user.userIdentityID), pendingCreate: .acsUser)
        let outcome = try await Self.hold(Self.provisioner(seam), knowledge: .trusted(record))
        #expect(seam.calls.first == .findACSUsers && !seam.calls.contains(.createACSUser))
        #expect(outcome.keys.acsUserID == user.acsUserID && seam.users.count == 1 && seam.credentialCount == 1)
    }

    /// Staff deleted the ACS user in Seam's console: the next change drops the stale id and makes
    /// the user again by natural key, instead of failing every night.
    @Test func aStaleTrustedIDIsDroppedAndTheStepRedone() async throws {
        let seam = Self.seam()
        let first = try await Self.hold(Self.provisioner(seam), knowledge: .lookUpEverything)
        seam.deleteBehindTheBack(acsUserID: try #require(first.keys.acsUserID))
        seam.resetCalls()
        let moved = Visit(startsAt: PlannerTests.checkIn, endsAt: PlannerTests.day(6, hour: 11), accessGroupIDs: ["g1", "g2"], reservationIDs: ["R-1"])
        let healed = try await Self.hold(Self.provisioner(seam), visit: moved, knowledge: .trusted(GuestSiteRecord(site: Self.site, keys: first.keys)))
        #expect(seam.calls.first == .updateSchedule)
        #expect(seam.calls.contains(.findACSUsers) && seam.calls.contains(.createACSUser) && seam.calls.contains(.createMobileKey))
        #expect(healed.keys.acsUserID != first.keys.acsUserID && seam.users.count == 1 && seam.credentialCount == 1 && seam.identityCount == 1)
        #expect(seam.users.first?.schedule.endsAt == PlannerTests.day(6, hour: 11))
    }

    @Test func aFailureSaysWhichStepAndKeepsWhatWasMade() async throws {
        let seam = Self.seam()
        seam.fail(.createMobileKey, with: SeamOperationError(code: SeamCode("invalid_input"), message: "no"))
        do throws(ProvisioningFailure) {
            _ = try await Self.provisioner(seam).hold(Self.site, visit: Self.visit, contact: Self.contact, knowledge: .lookUpEverything)
            Issue.record("expected a failure")
        } catch {
            #expect(error.step == .credential && error.code == .seam(SeamCode("invalid_input")) && !error.isUnauthorized)
            #expect(error.progress.acsUserID == seam.users.first?.acsUserID && error.progress.accessGroupIDs == ["g1", "g2"])
        }
    }

    /// The old model left a user per stay: the one holding the visit is kept and moved, and the
    /// others are deleted only after the kept one is confirmed on the site.
    @Test func aGuestWithSeveralUsersKeepsTheOneHoldingTheVisitAndRetiresTheRest() async throws {
        let seam = Self.seam()
        let earlier = AccessSchedule(startsAt: PlannerTests.day(1, hour: 15, month: 1), endsAt: PlannerTests.day(4, hour: 11, month: 1))
        let old = seam.seedUser(email: "a@example.com", acsSystemID: "system-a", fullName: "R-0", schedule: earlier, groups: ["g3"], withKey: true)
        let current = seam.seedUser(email: "a@example.com", acsSystemID: "system-a", fullName: "R-1", schedule: Self.schedule, groups: ["g1"], withKey: true)
        let outcome = try await Self.hold(Self.provisioner(seam), knowledge: .lookUpEverything)
        #expect(outcome.keys.acsUserID == current.acsUserID && outcome.waiting == nil)
        #expect(seam.users.map(\.acsUserID) == [current.acsUserID] && seam.credentialCount == 1)
        #expect(seam.users[0].groups == ["g1", "g2"])
        let confirmedAt = try #require(seam.calls.firstIndex(of: .acsUserState))
        #expect(seam.calls.firstIndex(of: .deleteACSUser).map { $0 > confirmedAt } == true)
        _ = old
    }

    @Test func removingDeletesTheUserAndKeepsItsIDUntilConfirmed() async throws {
        let seam = Self.seam()
        let made = try await Self.hold(Self.provisioner(seam), knowledge: .lookUpEverything)
        seam.resetCalls()
        let outcome = try await Self.provisioner(seam).remove(Self.site, knowledge: .trusted(GuestSiteRecord(site: Self.site, keys: made.keys)))
        #expect(seam.calls == [.deleteCredential, .deleteACSUser])
        #expect(outcome.keys.acsUserID == made.keys.acsUserID && outcome.expectation == .absent(acsUserID: made.keys.acsUserID!, acsSystemID: "system-a"))
        #expect(seam.users.isEmpty && seam.credentialCount == 0)
    }

    @Test func theListingCheckRefusesSystemsThatAreNotSaltoKSSites() async throws {
        let seam = Self.seam()
        seam.setType("assa_abloy_vostio", ofSystem: "system-b")
        let catalog = ListingCatalog(listings: [PlannerTests.listing, PlannerTests.otherSystem])
        let report = try await ListingPreflight.check(catalog, operations: seam)
        #expect(report.problems["A-101"] == nil && report.problems["B-201"]?.code == .run(.unsupportedACSSystem))
    }

    @Test func removingWhatWasNeverMadeOnlyLooks() async throws {
        let seam = Self.seam()
        let outcome = try await Self.provisioner(seam).remove(Self.site, knowledge: .lookUpEverything)
        #expect(seam.calls == [.findUserIdentity] && outcome.foundNothing)
    }
}
