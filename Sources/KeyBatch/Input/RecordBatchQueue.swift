import Foundation

/// The bounded hand-over between `PipelinedRecordReader`'s reading thread and the thread that
/// validates: at most `capacity` batches wait, so the reader runs ahead by a few hundred
/// kilobytes and no more (memory stays flat in the file size), and batches come out in the order
/// they went in.
///
/// `@unchecked Sendable` because its state is guarded by hand: every read and write of `waiting`
/// and `closed` happens with `condition` locked, and `RecordBatch` is itself `Sendable`. A
/// condition variable (not a `Mutex`) since both sides must sleep while the other catches up.
final class RecordBatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [RecordBatch] = []
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0, "a queue must hold at least one batch")
        self.capacity = capacity
    }

    /// Adds `batch` once there is room; returns false, dropping it, when the consumer has gone
    /// (`close()`), which tells the reading thread to stop.
    func push(_ batch: RecordBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity, !closed { condition.wait() }
        guard !closed else { return false }
        waiting.append(batch)
        condition.broadcast()
        return true
    }

    /// The oldest batch, waiting for one if need be. The reader always ends with a batch whose
    /// `end` is set, after which the consumer pops no more.
    func pop() -> RecordBatch {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty { condition.wait() }
        let batch = waiting.removeFirst()
        condition.broadcast()
        return batch
    }

    /// The consumer is done (the end, an error, or dropped early): frees what waits and wakes a
    /// reader blocked on a full queue so that it stops.
    func close() {
        condition.lock()
        closed = true
        waiting.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
