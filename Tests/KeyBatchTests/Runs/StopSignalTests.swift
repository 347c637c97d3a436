import Synchronization
import Testing
@testable import KeyBatch

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
