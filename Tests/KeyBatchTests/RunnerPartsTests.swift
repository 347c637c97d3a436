import Testing
@testable import KeyBatch

@Suite struct ReorderBufferTests {
    @Test func releasesInInputOrderWhateverTheFinishingOrder() {
        var buffer = ReorderBuffer<String>()
        var released: [String] = []
        for (sequence, value) in [(2, "c"), (0, "a"), (3, "d"), (1, "b"), (5, "f"), (4, "e")] {
            buffer.insert(value, at: sequence)
            released += buffer.drain()
        }
        #expect(released == ["a", "b", "c", "d", "e", "f"])
        #expect(buffer.count == 0)
    }

    @Test func holdsBackRowsBehindAnUnfinishedOne() {
        var buffer = ReorderBuffer<Int>()
        for sequence in 1...5 { buffer.insert(sequence, at: sequence) }
        #expect(buffer.drain().isEmpty)
        #expect(buffer.count == 5)
        buffer.insert(0, at: 0)
        #expect(buffer.drain() == [0, 1, 2, 3, 4, 5])
    }
}

@Suite struct FailureBudgetTests {
    @Test func parsesCountsAndPercentages() {
        #expect(FailureBudget("10") == .count(10))
        #expect(FailureBudget(" 5% ") == .percent(5))
        #expect(FailureBudget("-1") == nil)
        #expect(FailureBudget("150%") == nil)
        #expect(FailureBudget("ten") == nil)
    }

    @Test func aCountIsExceededPastTheLimit() {
        #expect(!FailureBudget.count(3).isExceeded(failed: 3, finished: 3))
        #expect(FailureBudget.count(3).isExceeded(failed: 4, finished: 4))
        #expect(FailureBudget.count(0).isExceeded(failed: 1, finished: 100))
    }

    @Test func aPercentageWaitsForASample() {
        #expect(!FailureBudget.percent(10).isExceeded(failed: 5, finished: 5))
        #expect(FailureBudget.percent(10).isExceeded(failed: 3, finished: 20))
        #expect(!FailureBudget.percent(10).isExceeded(failed: 2, finished: 20))
    }
}

@Suite struct StopSignalTests {
    @Test func wakesEveryWaiterOnce() async {
        let signal = StopSignal()
        #expect(!signal.isRequested)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<5 { group.addTask { await signal.wait() } }
            try? await Task.sleep(for: .milliseconds(20))
            signal.request()
            signal.request()
        }
        #expect(signal.isRequested)
        await signal.wait() // already requested: returns at once
    }

    @Test func aCancelledWaiterReturns() async {
        let signal = StopSignal()
        let waiter = Task { await signal.wait() }
        try? await Task.sleep(for: .milliseconds(10))
        waiter.cancel()
        await waiter.value
        #expect(!signal.isRequested)
    }
}

@Suite struct SyncRevocationsTests {
    static func record(_ id: String, checkOutDay: Int) -> StateRecord {
        StateRecord(reservationID: id, fingerprint: Fingerprint(value: "f"), guestEmail: "\(id)@example.com", listingID: "A-101",
                    acsSystemID: "s", checkIn: Timestamp(year: 2027, month: 3, day: 1), checkOut: Timestamp(year: 2027, month: 3, day: checkOutDay),
                    status: .provisioned)
    }

    @Test func onlyCurrentStaysCountAgainstTheGuard() {
        let now = Timestamp(year: 2027, month: 3, day: 10)
        let active = [Self.record("R-1", checkOutDay: 5), Self.record("R-2", checkOutDay: 6), Self.record("R-3", checkOutDay: 20),
                      Self.record("R-4", checkOutDay: 21)]
        let allowed = SyncRevocations(active: active, seen: ["R-4"], now: now, limit: 1)
        #expect(allowed.absent.map(\.reservationID) == ["R-1", "R-2", "R-3"])
        #expect(allowed.blockedReason == nil)
        let blocked = SyncRevocations(active: active, seen: [], now: now, limit: 1)
        #expect(blocked.blockedReason?.contains("2 current reservations") == true)
    }
}
