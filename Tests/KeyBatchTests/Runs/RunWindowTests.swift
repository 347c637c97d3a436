import Testing
@testable import KeyBatch

/// The window's rules, one event at a time, without tasks or clocks.
@Suite struct RunWindowTests {
    static func window(concurrency: Int = 2, budget: FailureBudget? = nil, drain: Duration = .seconds(5)) -> RunWindow {
        RunWindow(concurrency: concurrency, failureBudget: budget, drainDeadline: drain)
    }

    static func isAborted(_ window: RunWindow) -> Bool {
        if case .aborted = window.outcome { return true }
        return false
    }

    @Test func holdsAtMostConcurrencyRowsInFlight() {
        var window = Self.window(concurrency: 2)
        window.rowStarted()
        #expect(window.hasRoom)
        window.rowStarted()
        #expect(!window.hasRoom)
        #expect(window.handle(.rowFinished(nil)) == .none)
        #expect(window.hasRoom)
        #expect(window.inFlight == 1 && window.finished == 1 && window.failed == 0)
    }

    @Test func aStopTakesNoNewRowsAndStartsTheDrainDeadlineOnce() {
        var window = Self.window(drain: .seconds(7))
        window.rowStarted()
        #expect(window.handle(.stopRequested) == .startDrainTimer(.seconds(7)))
        #expect(window.outcome == .interrupted)
        #expect(!window.hasRoom && !window.acceptsRows)
        // A second signal (Ctrl-C twice) does not restart the deadline.
        #expect(window.handle(.stopRequested) == .none)
        // The row in flight may still finish in time, and is counted.
        #expect(window.handle(.rowFinished(nil)) == .none)
        #expect(window.isIdle && window.finished == 1)
        #expect(window.handle(.drainDeadlinePassed) == .none)
    }

    @Test func theDrainDeadlineCancelsWhatIsStillInFlight() {
        var window = Self.window()
        window.rowStarted()
        window.rowStarted()
        _ = window.handle(.stopRequested)
        #expect(window.handle(.drainDeadlinePassed) == .cancelInFlight)
        // The cancelled rows still report back (as failed `interrupted` rows), and close the window.
        _ = window.handle(.rowFinished(.other))
        _ = window.handle(.rowFinished(.other))
        #expect(window.isIdle && window.outcome == .interrupted)
    }

    @Test func aRefusedAPIKeyCancelsEverythingAndWinsOverLaterEvents() {
        var window = Self.window(concurrency: 3)
        window.rowStarted()
        window.rowStarted()
        #expect(window.handle(.rowFinished(.unauthorized(message: "bad key"))) == .cancelInFlight)
        #expect(window.outcome == .unauthorized(message: "bad key"))
        #expect(!window.acceptsRows)
        // The next 401 and a stop change nothing: the first reason stays.
        #expect(window.handle(.rowFinished(.unauthorized(message: "again"))) == .none)
        _ = window.handle(.stopRequested)
        #expect(window.outcome == .unauthorized(message: "bad key"))
    }

    @Test func anUnreachableSeamStopsTheRunLikeARefusedKey() {
        var window = Self.window()
        window.rowStarted()
        #expect(window.handle(.rowFailedUnsent(.unreachable(message: "connection refused"))) == .cancelInFlight)
        #expect(window.outcome == .unreachable(message: "connection refused") && !window.acceptsRows)
    }

    /// Rows and confirmation rounds that cannot connect stop the run only three in a row; a row
    /// that reaches Seam in between starts the count again (a short outage passes).
    @Test func sentRowsStopTheRunOnlyAfterAStreakOfUnreachableExchanges() {
        var window = Self.window(concurrency: 4)
        for _ in 0..<4 { window.rowStarted() }
        #expect(window.handle(.rowFinished(.unreachable(message: "refused"))) == .none)
        #expect(window.handle(.confirmationUnreachable(message: "refused")) == .none)
        #expect(window.handle(.rowFinished(nil)) == .none)
        #expect(window.handle(.rowFinished(.unreachable(message: "refused"))) == .none)
        #expect(window.handle(.confirmationUnreachable(message: "refused")) == .none)
        #expect(window.outcome == .completed && window.unreachableStreak == 2)
        #expect(window.handle(.rowFinished(.unreachable(message: "still refused"))) == .cancelInFlight)
        #expect(window.outcome == .unreachable(message: "still refused"))
        #expect(window.finished == 4 && window.failed == 3)
    }

    @Test func aRefusedKeyBeforeAnyRowIsSentStopsTheRunToo() {
        var window = Self.window()
        #expect(window.handle(.rowFailedUnsent(.unauthorized(message: "no"))) == .cancelInFlight)
        #expect(window.outcome == .unauthorized(message: "no"))
        #expect(window.finished == 1 && window.failed == 1 && window.isIdle)
    }

    @Test func exceedingTheFailureBudgetAbortsButLetsRowsInFlightFinish() {
        var window = Self.window(concurrency: 4, budget: .count(1))
        for _ in 0..<3 { window.rowStarted() }
        #expect(window.handle(.rowFinished(.other)) == .none)
        #expect(window.outcome == .completed && window.hasRoom)
        #expect(window.handle(.rowFinished(.other)) == .none)
        #expect(Self.isAborted(window))
        #expect(!window.hasRoom && window.inFlight == 1)
        #expect(window.handle(.rowFinished(nil)) == .none)
        #expect(window.isIdle && window.failed == 2 && window.finished == 3)
    }

    /// Rows of an unusable listing are counted, and the budget is judged when a sent row fails.
    @Test func unsentFailuresAreCountedAndJudgedWhenASentRowFails() {
        var window = Self.window(budget: .count(1))
        _ = window.handle(.rowFailedUnsent(.other))
        _ = window.handle(.rowFailedUnsent(.other))
        #expect(window.outcome == .completed && window.failed == 2 && window.finished == 2)
        window.rowStarted()
        _ = window.handle(.rowFinished(nil))
        #expect(window.outcome == .completed)
        window.rowStarted()
        _ = window.handle(.rowFinished(.other))
        #expect(Self.isAborted(window))
    }

    @Test func aStopWithNothingInFlightOnlyMarksTheRunInterrupted() {
        var window = Self.window()
        window.markInterrupted()
        #expect(window.outcome == .interrupted && !window.isDraining)
        var unauthorized = Self.window()
        _ = unauthorized.handle(.rowFailedUnsent(.unauthorized(message: "no")))
        unauthorized.markInterrupted()
        #expect(unauthorized.outcome == .unauthorized(message: "no"))
    }

    @Test func aPercentageBudgetWaitsForItsSample() {
        var window = Self.window(concurrency: 1, budget: .percent(10))
        for index in 0..<FailureBudget.minimumSample {
            window.rowStarted()
            _ = window.handle(.rowFinished(index < 2 ? .other : nil))
        }
        #expect(window.outcome == .completed)
        window.rowStarted()
        _ = window.handle(.rowFinished(.other))
        #expect(Self.isAborted(window))
    }

    @Test func anAbortFromOutsideKeepsAnEarlierOutcome() {
        var window = Self.window()
        window.abort(reason: "guard")
        #expect(window.outcome == .aborted(reason: "guard"))
        var stopped = Self.window()
        _ = stopped.handle(.stopRequested)
        stopped.abort(reason: "guard")
        #expect(stopped.outcome == .interrupted)
    }
}
