import Synchronization
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
    /// Which waiters' `wait()` returned, in order.
    final class Wakes: Sendable {
        let waiters = Mutex<[Int]>([])
        var all: [Int] { waiters.withLock { $0 } }
    }

    @Test func wakesEveryWaiterOnce() async throws {
        let signal = StopSignal()
        let wakes = Wakes()
        #expect(!signal.isRequested)
        try await TestTiming.withDeadline(.seconds(10), "five waiters woken by one stop") {
            await withTaskGroup(of: Void.self) { group in
                for waiter in 0..<5 {
                    group.addTask {
                        await signal.wait()
                        wakes.waiters.withLock { $0.append(waiter) }
                    }
                }
                // All five suspended in wait(), none returned, before the stop.
                while signal.waiterCount < 5 { try? await Task.sleep(for: .milliseconds(5)) }
                #expect(wakes.all.isEmpty)
                signal.request()
                signal.request()
                await group.waitForAll()
            }
        }
        #expect(wakes.all.sorted() == [0, 1, 2, 3, 4])
        #expect(signal.isRequested && signal.waiterCount == 0)
        // Already requested: returns at once.
        try await TestTiming.withDeadline(.seconds(5), "a wait after the stop") { await signal.wait() }
    }

    @Test func aCancelledWaiterReturns() async throws {
        let signal = StopSignal()
        let waiter = Task { await signal.wait() }
        try await TestTiming.until(.seconds(5), "the waiter suspended") { signal.waiterCount == 1 }
        waiter.cancel()
        try await TestTiming.withDeadline(.seconds(5), "the cancelled waiter returning") { await waiter.value }
        #expect(!signal.isRequested && signal.waiterCount == 0)
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
