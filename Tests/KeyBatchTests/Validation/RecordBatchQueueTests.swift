import CSV
import Foundation
import Testing
@testable import KeyBatch

/// The queue wakes a waiting side only once a few batches are there or free (or at the last
/// batch): whatever the capacity, a waiting side must still be woken, and batches come out in order.
@Suite struct RecordBatchQueueTests {
    /// A batch holding one issue on `line`, the last one when `last`.
    private static func batch(_ line: Int, last: Bool = false) -> RecordBatch {
        var batch = RecordBatch(reservingRecords: 1, bytes: 0)
        batch.append(CSVIssue(kind: .malformedCSV, line: line, column: nil, message: "m", recoveredFields: []))
        if last { batch.end = .success(()) }
        return batch
    }

    private static func line(of batch: RecordBatch) -> Int? {
        guard case .issue(let issue)? = batch.entries.first else { return nil }
        return issue.line
    }

    /// Runs `body` on a thread of its own; the semaphore is signalled when it returns.
    private static func onThread(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            body()
            done.signal()
        }
        return done
    }

    /// Holds what a thread popped, for the test thread to read after the semaphore.
    private final class Popped: @unchecked Sendable {
        var lines: [Int?] = []
    }

    @Test(arguments: [1, 2, 3, 4, 7])
    func aWaitingConsumerGetsTheLastBatchAlone(capacity: Int) {
        let queue = RecordBatchQueue(capacity: capacity)
        let popped = Popped()
        let done = Self.onThread { popped.lines.append(Self.line(of: queue.pop())) }
        usleep(50_000) // the consumer waits on the empty queue
        #expect(queue.push(Self.batch(2, last: true)))
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(popped.lines == [2])
    }

    @Test(arguments: [2, 4, 7])
    func aWaitingConsumerIsWokenBeforeTheQueueIsFull(capacity: Int) {
        let queue = RecordBatchQueue(capacity: capacity)
        let popped = Popped()
        let done = Self.onThread { popped.lines.append(Self.line(of: queue.pop())) }
        usleep(50_000)
        for line in 2..<(2 + max(1, capacity / 2)) { #expect(queue.push(Self.batch(line))) }
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(popped.lines == [2])
    }

    @Test(arguments: [1, 3, 4, 7])
    func aReaderWaitingOnAFullQueueGoesOnOnceItIsDrained(capacity: Int) {
        let queue = RecordBatchQueue(capacity: capacity)
        for line in 0..<capacity { #expect(queue.push(Self.batch(line))) }
        let pushed = Self.onThread { _ = queue.push(Self.batch(capacity, last: true)) }
        usleep(50_000) // the reader waits for room
        var lines: [Int?] = []
        for _ in 0..<capacity { lines.append(Self.line(of: queue.pop())) }
        #expect(pushed.wait(timeout: .now() + 10) == .success)
        lines.append(Self.line(of: queue.pop()))
        #expect(lines == Array(0...capacity))
    }
}
