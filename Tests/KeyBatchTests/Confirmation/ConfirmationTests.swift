import Testing
@testable import KeyBatch

/// The confirmation rules, observations in, verdicts and releases out: no server, no clock.
@Suite struct ConfirmationTests {
    static let present = Expectation.present(acsUserID: "u1", acsCredentialID: "k1", acsSystemID: "s1")
    static let absent = Expectation.absent(acsUserID: "u1", acsSystemID: "s1")
    static let settled = ACSUserState(acsUserID: "u1", warnings: ["salto_ks_user_not_subscribed"])
    static let issued = CredentialState(acsCredentialID: "k1", isSynced: true)

    /// Found by the 20-minute soak: the site refused a schedule update and rolled it back, and a
    /// later change cleared the error; the user shows settled with the old schedule. Never confirmed.
    @Test func aScheduleTheSiteRolledBackIsNotConfirmed() {
        let start = Timestamp(year: 2030, month: 3, day: 1, hour: 15)
        let wanted = AccessSchedule(startsAt: start, endsAt: Timestamp(year: 2030, month: 3, day: 6, hour: 11))
        let expectation = Expectation.present(acsUserID: "u", acsCredentialID: "k", acsSystemID: "s", accessGroupIDs: [], schedule: wanted)
        let key = CredentialState(acsCredentialID: "k", acsUserID: "u", isSynced: true)
        let old = ACSUserState(acsUserID: "u", schedule: AccessSchedule(startsAt: start, endsAt: Timestamp(year: 2030, month: 3, day: 4, hour: 11)))
        guard case .refused(let issue) = ConfirmationJudge.judge(expectation, user: old, credential: key, groups: []) else {
            Issue.record("a rolled-back schedule was confirmed")
            return
        }
        #expect(issue.code == .run(.accessScheduleNotHeld))
        // The same schedule, with Seam's milliseconds: confirmed.
        let same = ACSUserState(acsUserID: "u", schedule: AccessSchedule(startsAt: start.adding(seconds: 0), endsAt: wanted.endsAt))
        #expect(ConfirmationJudge.judge(expectation, user: same, credential: key, groups: []) == .confirmed(warnings: []))
        // A start already past, shown as now: still the schedule set.
        let past = AccessSchedule(startsAt: Timestamp(year: 2020, month: 1, day: 1), endsAt: wanted.endsAt)
        let movedToNow = ACSUserState(acsUserID: "u", schedule: AccessSchedule(startsAt: .now(), endsAt: wanted.endsAt))
        let pastExpectation = Expectation.present(acsUserID: "u", acsCredentialID: "k", acsSystemID: "s", accessGroupIDs: [], schedule: past)
        #expect(ConfirmationJudge.judge(pastExpectation, user: movedToNow, credential: key, groups: []) == .confirmed(warnings: []))
    }

    @Test func provisionedOnlyWhenTheUserIsSettledAndTheKeyIssued() {
        #expect(ConfirmationJudge.judge(Self.present, user: Self.settled, credential: Self.issued, groups: [])
                == .confirmed(warnings: ["salto_ks_user_not_subscribed"]))
        var creating = Self.settled
        creating.pendingMutations = ["creating"]
        guard case .pending = ConfirmationJudge.judge(Self.present, user: creating, credential: Self.issued) else {
            Issue.record("a pending mutation must keep the row pending")
            return
        }
        var waiting = Self.issued
        waiting.isSynced = false
        guard case .pending = ConfirmationJudge.judge(Self.present, user: Self.settled, credential: waiting, groups: []) else {
            Issue.record("an unsynced key must keep the row pending")
            return
        }
    }

    /// A membership change the site refused is rolled back, and a later change can clear the error
    /// that said so (the chaos soak saw users settled without a group they were added to, and in
    /// one they were removed from): the exact access groups set are part of what confirms it.
    @Test func aSettledUserInOtherGroupsIsNotConfirmed() {
        let stay = AccessSchedule(startsAt: Timestamp(millisecondsSinceEpoch: 0), endsAt: Timestamp(millisecondsSinceEpoch: 86_400_000))
        let expectation = Expectation.present(acsUserID: "u1", acsCredentialID: "k1", acsSystemID: "s1", accessGroupIDs: ["g1", "g2"], schedule: stay)
        #expect(ConfirmationJudge.judge(expectation, user: Self.settled, credential: Self.issued, groups: ["g1", "g2"])
                == .confirmed(warnings: ["salto_ks_user_not_subscribed"]))
        #expect(ConfirmationJudge.judge(expectation, user: Self.settled, credential: Self.issued, groups: ["g1"])
                == .refused(SeamIssue(code: .run(.accessGroupsNotHeld), message: "Seam does not show the ACS user in access group g2")))
        // A group left over opens doors no stay gives: not confirmed either.
        #expect(ConfirmationJudge.judge(expectation, user: Self.settled, credential: Self.issued, groups: ["g1", "g2", "g9"])
                == .refused(SeamIssue(code: .run(.accessGroupsNotHeld),
                                      message: "Seam shows the ACS user also in access group g9, which no stay of the guest's visit gives")))
        #expect(ConfirmationJudge.judge(expectation, user: Self.settled, credential: Self.issued, groups: ["g2", "g8", "g9"])
                == .refused(SeamIssue(code: .run(.accessGroupsNotHeld),
                                      message: "Seam does not show the ACS user in access group g1; Seam shows the ACS user also in access groups g8, g9, which no stay of the guest's visit gives")))
        guard case .pending = ConfirmationJudge.judge(expectation, user: Self.settled, credential: Self.issued, groups: nil) else {
            Issue.record("unchecked groups must keep the row pending")
            return
        }
    }

    @Test func aSiteRefusalIsReportedWithSeamsCode() {
        var refused = Self.settled
        refused.errors = [SeamIssue(seam: SeamCode("failed_to_create_on_acs_system"), message: "email in use")]
        refused.pendingMutations = ["creating"]
        #expect(ConfirmationJudge.judge(Self.present, user: refused, credential: nil)
                == .refused(SeamIssue(seam: SeamCode("failed_to_create_on_acs_system"), message: "email in use")))
        guard case .missing(let issue) = ConfirmationJudge.judge(Self.present, user: nil, credential: Self.issued) else {
            Issue.record("a vanished user is missing")
            return
        }
        #expect(issue.code == .seam(.acsUserNotFound))
    }

    @Test func revokedOnlyWhenSeamNoLongerHasTheUser() {
        #expect(ConfirmationJudge.judge(Self.absent, user: nil, credential: nil) == .confirmed(warnings: []))
        var deleting = Self.settled
        deleting.warnings = ["being_deleted"]
        #expect(deleting.isBeingDeleted)
        guard case .pending = ConfirmationJudge.judge(Self.absent, user: deleting, credential: nil) else {
            Issue.record("a user being deleted is still pending")
            return
        }
        // An earlier refusal's error while a new deletion is under way: still pending.
        deleting.errors = [SeamIssue(seam: SeamCode("failed_to_delete_on_acs_system"), message: "")]
        guard case .pending = ConfirmationJudge.judge(Self.absent, user: deleting, credential: nil) else {
            Issue.record("a deletion in progress is pending whatever an earlier one left")
            return
        }
        deleting.warnings = []
        #expect(ConfirmationJudge.judge(Self.absent, user: deleting, credential: nil)
                == .refused(SeamIssue(seam: SeamCode("failed_to_delete_on_acs_system"), message: "")))
    }

    static func row(_ id: String) -> ResultRow {
        ResultRow(identity: .init(line: 2, reservationID: id, guestEmail: "a@example.com", listingID: "A-101"), status: .provisioned,
                  acsUserID: "u1", acsCredentialID: "k1")
    }

    @Test func theQueueReleasesByVerdictAndTimeout() {
        let start = ContinuousClock.now
        var queue = ConfirmationQueue(timeout: .seconds(10))
        queue.park(Self.row("R-1"), at: 0, expectation: Self.present, now: start)
        queue.park(Self.row("R-2"), at: 1, expectation: Self.present, now: start)
        queue.park(Self.row("R-3"), at: 2, expectation: Self.absent, now: start)
        #expect(queue.due(at: start).count == 3)
        let first = queue.apply([0: .confirmed(warnings: ["w"]), 1: .pending(reason: "creating"),
                                 2: .refused(SeamIssue(seam: SeamCode("failed_to_delete_on_acs_system"), message: "no"))], now: start + .seconds(1))
        #expect(first.count == 2)
        guard case .confirmed(0, let confirmed, false) = first[0], case .refused(2, let refused, _) = first[1] else {
            Issue.record("unexpected releases \(first)")
            return
        }
        #expect(confirmed.status == .provisioned && confirmed.seamWarnings == ["w"])
        #expect(refused.status == .failed && refused.errorCode == .seam(SeamCode("failed_to_delete_on_acs_system")))
        #expect(queue.apply([1: .pending(reason: "creating")], now: start + .seconds(9)).isEmpty)
        let late = queue.apply([1: .pending(reason: "creating")], now: start + .seconds(10))
        guard case .pending(1, let pending) = late.first else {
            Issue.record("expected the row pending at the timeout")
            return
        }
        #expect(pending.status == .pending && pending.errorMessage?.contains("creating") == true)
        #expect(queue.isEmpty)
    }

    @Test func eachRowBacksOffOnItsOwnAndANewRowIsCheckedSoon() {
        let start = ContinuousClock.now
        var queue = ConfirmationQueue(timeout: .seconds(60))
        queue.park(Self.row("R-1"), at: 0, expectation: Self.present, now: start)
        var now = start
        var gaps: [Duration] = []
        for _ in 0..<7 {
            let next = queue.nextRound(sending: false)!
            gaps.append(next - now)
            now = next
            #expect(queue.due(at: now).keys.sorted() == [0])
            #expect(queue.apply([0: .pending(reason: "creating")], now: now).isEmpty)
        }
        #expect(gaps == ConfirmationQueue.delays + [.seconds(8)])
        // A row parked now is due in 0.25 s, whatever the first one's backoff.
        queue.park(Self.row("R-2"), at: 1, expectation: Self.present, now: now)
        #expect(queue.nextRound(sending: false) == now + .milliseconds(250))
        // A round checks the rows due within a second of its start, not those due later.
        #expect(queue.due(at: now + .milliseconds(250)).keys.sorted() == [1])
        _ = queue.apply([0: .confirmed(warnings: []), 1: .confirmed(warnings: [])], now: now)
        #expect(queue.isEmpty && queue.nextRound(sending: true) == nil)
    }

    @Test func whileRowsAreSentRoundsKeepToATwentiethOfTheRate() {
        let start = ContinuousClock.now
        var queue = ConfirmationQueue(timeout: .seconds(60))
        queue.park(Self.row("R-1"), at: 0, expectation: Self.present, now: start)
        #expect(queue.nextRound(sending: true) == start + .milliseconds(250))
        // A round of 3 calls at 10 calls/s: the next waits 3 / (0.05 × 10) = 6 s while rows are
        // sent, and only the row's own backoff (0.5 s) once nothing else is.
        let end = start + .milliseconds(400)
        #expect(queue.apply([0: .pending(reason: "creating")], calls: 3, rate: 10, now: end).isEmpty)
        #expect(queue.nextRound(sending: true) == end + .seconds(6))
        #expect(queue.nextRound(sending: false) == end + .milliseconds(500))
    }

    /// A round of many calls at a low rate asks for a long pause; it never holds a row past its
    /// timeout, never lasts more than 8 s, and a zero timeout is checked at once.
    @Test func theSpacingNeverOutlastsATimeout() {
        let start = ContinuousClock.now
        var queue = ConfirmationQueue(timeout: .seconds(3))
        queue.park(Self.row("R-1"), at: 0, expectation: Self.present, now: start)
        _ = queue.apply([0: .pending(reason: "creating")], calls: 8, rate: 2, now: start + .milliseconds(300))
        #expect(queue.nextRound(sending: true) == start + .seconds(3))
        var long = ConfirmationQueue(timeout: .seconds(600))
        long.park(Self.row("R-1"), at: 0, expectation: Self.present, now: start)
        _ = long.apply([0: .pending(reason: "creating")], calls: 8, rate: 2, now: start)
        #expect(long.nextRound(sending: true) == start + .seconds(8))
        var quick = ConfirmationQueue(timeout: .zero)
        quick.park(Self.row("R-1"), at: 0, expectation: Self.present, now: start)
        _ = quick.apply([:], calls: 8, rate: 2, now: start)
        #expect(quick.nextRound(sending: true) == start)
    }

    /// The round's timer, as the run drives it: armed once, brought forward by a row due sooner
    /// (the replaced timer then fires for nothing), and no second round while one is in flight.
    @Test func aTimerBroughtForwardReplacesTheOldOne() {
        let start = ContinuousClock.now
        var queue = ConfirmationQueue(timeout: .seconds(60))
        #expect(queue.timerToArm(sending: true) == nil)
        queue.park(Self.row("R-1"), at: 0, expectation: Self.present, now: start)
        _ = queue.apply([0: .pending(reason: "creating")], calls: 50, rate: 10, now: start)  // quiet for 8 s
        let late = queue.timerToArm(sending: true)
        #expect(late == start + .seconds(8))
        #expect(queue.timerToArm(sending: true) == nil)  // already armed for then
        // Sending ends: the row's own backoff (0.5 s) brings the round forward.
        let soon = queue.timerToArm(sending: false)
        #expect(soon == start + .milliseconds(500))
        #expect(queue.timerFired(at: late!, now: start + .milliseconds(500)) == nil)  // replaced
        let rows = queue.timerFired(at: soon!, now: start + .milliseconds(500))
        #expect(rows?.keys.sorted() == [0] && queue.roundInFlight)
        queue.park(Self.row("R-2"), at: 1, expectation: Self.present, now: start + .milliseconds(600))
        #expect(queue.timerToArm(sending: false) == nil)  // not while the round is in flight (outside the tail)
        _ = queue.apply([0: .confirmed(warnings: [])], now: start + .seconds(1))
        #expect(!queue.roundInFlight && queue.timerToArm(sending: false) == start + .milliseconds(850))
    }

    /// The run's tail (no row left to start, none in flight): a row that came due after a round
    /// started gets a round of its own beside it, instead of waiting for the first to end; no
    /// row is in two rounds, each round's verdicts free only its own rows, and at most two run
    /// at once. Outside the tail, rounds still go one at a time.
    @Test func inTheTailARowDueAfterARoundStartedGetsARoundBesideIt() {
        let start = ContinuousClock.now
        var queue = ConfirmationQueue(timeout: .seconds(60))
        queue.park(Self.row("R-1"), at: 0, expectation: Self.present, now: start)
        let first = queue.timerToArm(sending: false, inTail: true)
        #expect(first == start + .milliseconds(250))
        #expect(queue.timerFired(at: first!, now: first!, inTail: true)?.keys.sorted() == [0])
        // R-2 accepted 1.5 s later (beyond the first round's coalescing): not in the round.
        queue.park(Self.row("R-2"), at: 1, expectation: Self.present, now: start + .milliseconds(1500))
        #expect(queue.timerToArm(sending: false) == nil)  // outside the tail: one at a time
        let second = queue.timerToArm(sending: false, inTail: true)
        #expect(second == start + .milliseconds(1750))
        #expect(queue.timerFired(at: second!, now: second!, inTail: true)?.keys.sorted() == [1])
        #expect(queue.roundsInFlight == 2)
        // Nothing left outside a round: no third timer.
        #expect(queue.timerToArm(sending: false, inTail: true) == nil)
        // Two rounds are the most: R-3, due, waits for one of them.
        queue.park(Self.row("R-3"), at: 2, expectation: Self.present, now: start + .milliseconds(1600))
        #expect(queue.timerToArm(sending: false, inTail: true) == nil)
        // The second round answers first; the first round's row is still being checked.
        let released = queue.apply([1: .confirmed(warnings: [])], now: start + .seconds(2))
        #expect(released.count == 1 && queue.roundsInFlight == 1 && queue.count == 2)
        let third = queue.timerToArm(sending: false, inTail: true)
        #expect(third == start + .milliseconds(1850))
        #expect(queue.timerFired(at: third!, now: start + .seconds(2), inTail: true)?.keys.sorted() == [2])
        _ = queue.apply([0: .pending(reason: "creating")], now: start + .milliseconds(2100))
        _ = queue.apply([2: .confirmed(warnings: [])], now: start + .milliseconds(2200))
        #expect(queue.roundsInFlight == 0 && queue.timerToArm(sending: false) == start + .milliseconds(2600))
    }

    @Test func theLastCheckComesAtTheTimeout() {
        let start = ContinuousClock.now
        var queue = ConfirmationQueue(timeout: .seconds(3))
        queue.park(Self.row("R-1"), at: 0, expectation: Self.present, now: start)
        var now = start
        var released: [ConfirmationQueue.Release] = []
        while let next = queue.nextRound(sending: false) {
            now = next
            released = queue.apply([0: .pending(reason: "creating")], now: now)
        }
        #expect(now == start + .seconds(3) && released.count == 1)
    }

    @Test func aZeroTimeoutChecksOnceWithoutWaitingAndAStopReleasesEverything() {
        let now = ContinuousClock.now
        var quick = ConfirmationQueue(timeout: .zero)
        quick.park(Self.row("R-1"), at: 0, expectation: Self.present, now: now)
        quick.park(Self.row("R-2"), at: 1, expectation: Self.present, now: now)
        #expect(quick.nextRound(sending: true) == now)
        let released = quick.apply([0: .confirmed(warnings: []), 1: .pending(reason: "creating")], now: now)
        guard case .confirmed(0, _, _) = released.first, case .pending(1, let row)? = released.last else {
            Issue.record("one round: confirmed or pending, nothing kept")
            return
        }
        #expect(row.status == .pending && quick.isEmpty)
        var queue = ConfirmationQueue(timeout: .seconds(60))
        queue.park(Self.row("R-1"), at: 4, expectation: Self.present, now: .now)
        queue.park(Self.row("R-2"), at: 2, expectation: Self.absent, now: .now)
        let all = queue.releaseAll()
        #expect(all.count == 2 && queue.isEmpty)
        guard case .pending(2, _) = all[0] else {
            Issue.record("released in sequence order")
            return
        }
    }
}

/// A round against the in-memory Seam: which calls it makes, and that they overlap.
@Suite struct ConfirmationRoundTests {
    /// With the users' listing held, a round made call after call would never ask for the keys
    /// or the group members; made at once, it has asked for all of them.
    @Test func aListingRoundMakesItsCallsAtOnce() async throws {
        let seam = RecordingSeamOperations(systems: ["s1": ["g1", "g2"]])
        seam.hang(.acsUserStates)
        let expectations = Dictionary(uniqueKeysWithValues: (0..<6).map {
            ($0, Expectation.present(acsUserID: "u\($0)", acsCredentialID: "k\($0)", acsSystemID: "s1", accessGroupIDs: ["g1", "g2"]))
        })
        let round = Task { await ConfirmationRound(operations: seam).check(expectations) }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while seam.calls.filter({ $0 == .credentialStates || $0 == .acsUsersInGroup }).count < 3, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        round.cancel()
        let outcome = await round.value
        let calls = seam.calls
        #expect(calls.filter { $0 == .acsUsersInGroup }.count == 2 && calls.contains(.credentialStates) && calls.contains(.acsUserStates))
        // The held call's rows stay pending, none is decided on half a listing.
        #expect(outcome.verdicts.count == 6 && outcome.verdicts.values.allSatisfy { if case .pending = $0 { true } else { false } })
    }

    /// Rows checked one by one: a row whose call fails stays pending, the others keep the verdict
    /// Seam gave them; a refused key ends the round (every row unanswered stays pending).
    @Test func aFailedCheckCostsOnlyItsOwnRow() async throws {
        let seam = RecordingSeamOperations(systems: ["s1": []])
        let expectations: [Int: KeyBatch.Expectation] = [0: .absent(acsUserID: "gone-1", acsSystemID: "s1"), 1: .absent(acsUserID: "gone-2", acsSystemID: "s1")]
        seam.fail(.acsUserState, with: SeamOperationError(code: SeamCode("internal_server_error"), message: "boom"), times: 1)
        let outcome = await ConfirmationRound(operations: seam).check(expectations)
        let confirmed = outcome.verdicts.values.filter { $0 == .confirmed(warnings: []) }.count
        let pending = outcome.verdicts.values.filter { if case .pending = $0 { true } else { false } }.count
        #expect(confirmed == 1 && pending == 1 && outcome.unauthorized == nil)
        seam.fail(.acsUserState, with: SeamOperationError(code: SeamCode("unauthorized"), message: "no", isUnauthorized: true), times: 1)
        let refused = await ConfirmationRound(operations: seam).check(expectations)
        #expect(refused.unauthorized != nil && refused.verdicts.count == 2)
    }
}
