import Testing
@testable import KeyBatch

/// The provisioner's choice of calls, against an in-memory Seam that records them.
@Suite struct ProvisionerTests {
    static let listing = PlannerTests.listing
    static let stay = Stay(PlannerTests.reservation(), at: listing)
    static let schedule = AccessSchedule(startsAt: PlannerTests.checkIn, endsAt: PlannerTests.checkOut)

    static func seam() -> RecordingSeamOperations {
        RecordingSeamOperations(systems: ["system-a": ["g1", "g2", "g9"], "system-b": ["g3"]])
    }

    static func provisioner(_ seam: RecordingSeamOperations) -> Provisioner {
        Provisioner(operations: seam, identities: IdentityDirectory(operations: seam))
    }

    @Test func aNewStayFollowsTheMobileKeyFlowInOrder() async throws {
        let seam = Self.seam()
        let keys = try await Self.provisioner(seam).provision(Self.stay, knowledge: .trusted(KnownProgress(keys: ProvisionedKeys())))
        // The ACS user is looked up even with a trusted (empty) record: an absent id proves nothing.
        #expect(seam.calls == [.findUserIdentity, .createUserIdentity, .findACSUser, .createACSUser, .addToAccessGroup, .addToAccessGroup, .createMobileKey])
        #expect(keys.acsUserID != nil && keys.acsCredentialID != nil && keys.accessGroupIDs == ["g1", "g2"])
        let user = try #require(seam.users.first)
        #expect(user.fullName == "R-1" && user.groups == ["g1", "g2"] && user.schedule == Self.schedule)
    }

    @Test func lookingEverythingUpAdoptsWhatSeamHoldsInsteadOfCreatingIt() async throws {
        let seam = Self.seam()
        seam.seedUser(email: "a@example.com", acsSystemID: "system-a", fullName: "R-1", schedule: Self.schedule, groups: ["g1", "g9"], withKey: true)
        let keys = try await Self.provisioner(seam).provision(Self.stay, knowledge: .lookUpEverything)
        #expect(!seam.calls.contains(.createACSUser) && !seam.calls.contains(.createMobileKey) && !seam.calls.contains(.createUserIdentity))
        // The groups are made to match the listing: g2 added, g9 removed.
        #expect(seam.calls.filter { $0 == .addToAccessGroup }.count == 1)
        #expect(seam.calls.filter { $0 == .removeFromAccessGroup }.count == 1)
        #expect(seam.users.count == 1 && seam.credentialCount == 1)
        #expect(keys.acsUserID == seam.users.first?.acsUserID)
    }

    /// A first run over many existing guests: per-row lookups until the threshold, then one sweep
    /// of the system (users and keys) answers the rest; nothing is created.
    @Test func aBulkFirstRunSweepsEachSystemOnceInsteadOfAskingPerRow() async throws {
        let seam = Self.seam()
        let stays = (1...12).map { Stay(Reservation(line: $0 + 1, reservationID: "R-\($0)", guestEmail: "g\($0)@example.com", guestName: nil,
                                                    guestPhone: nil, listingID: "A-101", checkIn: PlannerTests.checkIn, checkOut: PlannerTests.checkOut,
                                                    status: .confirmed), at: Self.listing) }
        for stay in stays {
            seam.seedUser(email: stay.reservation.guestEmail, acsSystemID: "system-a", fullName: stay.reservationID, schedule: Self.schedule,
                          groups: ["g1", "g2"], withKey: true)
        }
        seam.resetCalls()
        let provisioner = Self.provisioner(seam)
        for stay in stays { _ = try await provisioner.provision(stay, knowledge: .lookUpEverything) }
        #expect(!seam.calls.contains(.createACSUser) && !seam.calls.contains(.createMobileKey))
        #expect(seam.calls.filter { $0 == .findACSUser }.count == ACSSystemSweep.threshold)
        #expect(seam.calls.filter { $0 == .findMobileKey }.count == ACSSystemSweep.threshold)
        #expect(seam.calls.filter { $0 == .acsUserStates }.count == 1 && seam.calls.filter { $0 == .credentialStates }.count == 1)
        #expect(seam.users.count == 12 && seam.credentialCount == 12)
    }

    /// The index only says yes: a user it lacks (made after the sweep) or forgot (deleted by the
    /// run) is asked of Seam directly, never taken as absent or adopted back.
    @Test func theSweepAdoptsFromItsIndexButNeverConcludesAbsence() async throws {
        let seam = Self.seam()
        let sweep = ACSSystemSweep(operations: seam, threshold: 0)
        let user = seam.seedUser(email: "a@example.com", acsSystemID: "system-a", fullName: "R-1", schedule: Self.schedule, groups: [], withKey: false)
        #expect(try await sweep.findACSUser(acsSystemID: "system-a", userIdentityID: user.userIdentityID, fullName: "R-1")?.acsUserID == user.acsUserID)
        #expect(seam.calls.contains(.acsUserStates) && !seam.calls.contains(.findACSUser))
        seam.deleteBehindTheBack(acsUserID: user.acsUserID)
        await sweep.forget(acsUserID: user.acsUserID)
        #expect(try await sweep.findACSUser(acsSystemID: "system-a", userIdentityID: user.userIdentityID, fullName: "R-1") == nil)
        let later = seam.seedUser(email: "b@example.com", acsSystemID: "system-a", fullName: "R-2", schedule: Self.schedule, groups: [], withKey: false)
        #expect(try await sweep.findACSUser(acsSystemID: "system-a", userIdentityID: later.userIdentityID, fullName: "R-2")?.acsUserID == later.acsUserID)
        #expect(seam.calls.filter { $0 == .findACSUser }.count == 2)
    }

    @Test func aTrustedCompleteRecordCostsNoCall() async throws {
        let seam = Self.seam()
        let keys = ProvisionedKeys(userIdentityID: "identity-1", acsUserID: "user-1", accessGroupIDs: ["g1", "g2"], acsCredentialID: "key-1", schedule: Self.schedule)
        let result = try await Self.provisioner(seam).provision(Self.stay, knowledge: .trusted(KnownProgress(keys: keys)))
        #expect(seam.calls.isEmpty)
        #expect(result == keys)
    }

    @Test func anAnnouncedCreateIsLookedUpBeforeAnythingIsMade() async throws {
        let seam = Self.seam()
        let user = seam.seedUser(email: "a@example.com", acsSystemID: "system-a", fullName: "R-1", schedule: Self.schedule, groups: [], withKey: false)
        let known = KnownProgress(keys: ProvisionedKeys(userIdentityID: user.userIdentityID), acsUserIntended: true)
        let keys = try await Self.provisioner(seam).provision(Self.stay, knowledge: .trusted(known))
        #expect(seam.calls.first == .findACSUser)
        #expect(!seam.calls.contains(.createACSUser))
        #expect(keys.acsUserID == user.acsUserID)
        #expect(seam.users.count == 1 && seam.credentialCount == 1)
    }

    /// Staff deleted the ACS user in Seam's console: the next date change drops the stale id and
    /// makes the user again by natural key, instead of failing every night.
    @Test func aStaleTrustedIDIsDroppedAndTheStepRedone() async throws {
        let seam = Self.seam()
        let first = try await Self.provisioner(seam).provision(Self.stay, knowledge: .lookUpEverything)
        seam.deleteBehindTheBack(acsUserID: try #require(first.acsUserID))
        seam.resetCalls()
        let moved = Stay(PlannerTests.reservation(checkOut: Timestamp(year: 2027, month: 3, day: 6, hour: 11)), at: Self.listing)
        let healed = try await Self.provisioner(seam).provision(moved, knowledge: .trusted(KnownProgress(keys: first)))
        #expect(seam.calls.first == .updateSchedule)
        #expect(seam.calls.contains(.findACSUser) && seam.calls.contains(.createACSUser) && seam.calls.contains(.createMobileKey))
        #expect(healed.acsUserID != first.acsUserID && healed.acsCredentialID != first.acsCredentialID)
        #expect(seam.users.count == 1 && seam.credentialCount == 1 && seam.identityCount == 1)
        #expect(seam.users.first?.schedule.endsAt == Timestamp(year: 2027, month: 3, day: 6, hour: 11))
    }

    @Test func aFailureSaysWhichStepAndKeepsWhatWasMade() async throws {
        let seam = Self.seam()
        seam.fail(.createMobileKey, with: SeamOperationError(code: "invalid_input", message: "no"))
        do {
            _ = try await Self.provisioner(seam).provision(Self.stay, knowledge: .lookUpEverything)
            Issue.record("expected a failure")
        } catch {
            #expect(error.step == .credential)
            #expect(error.code == .seam("invalid_input"))
            #expect(error.progress.acsUserID == seam.users.first?.acsUserID)
            #expect(error.progress.accessGroupIDs == ["g1", "g2"])
            #expect(!error.isUnauthorized)
        }
    }

    @Test func aRevocationWithTrustedIDsOnlyDeletes() async throws {
        let seam = Self.seam()
        let keys = try await Self.provisioner(seam).provision(Self.stay, knowledge: .lookUpEverything)
        seam.resetCalls()
        let revocation = try await Self.provisioner(seam).revoke(Self.stay.target, knowledge: .trusted(KnownProgress(keys: keys)))
        #expect(seam.calls == [.deleteCredential, .deleteACSUser])
        #expect(revocation.deletedACSUserID == keys.acsUserID && revocation.deletedCredentialID == keys.acsCredentialID)
        #expect(revocation.keys.userIdentityID == keys.userIdentityID && revocation.keys.acsUserID == nil)
        #expect(seam.users.isEmpty && seam.credentialCount == 0)
    }

    @Test func theListingCheckRefusesSystemsThatAreNotSaltoKSSites() async throws {
        let seam = Self.seam()
        seam.setType("assa_abloy_vostio", ofSystem: "system-b")
        let catalog = ListingCatalog(listings: [Self.listing, PlannerTests.otherSystem])
        let report = try await ListingPreflight.check(catalog, operations: seam)
        #expect(report.problems["A-101"] == nil)
        #expect(report.problems["B-201"]?.code == .run(.unsupportedACSSystem))
    }

    @Test func aRevocationOfSomethingNeverMadeOnlyLooks() async throws {
        let seam = Self.seam()
        let revocation = try await Self.provisioner(seam).revoke(Self.stay.target, knowledge: .lookUpEverything)
        #expect(seam.calls == [.findUserIdentity])
        #expect(revocation.deletedACSUserID == nil)
    }
}
