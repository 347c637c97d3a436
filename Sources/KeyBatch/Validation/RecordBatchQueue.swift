import Foundation

/// The bounded hand-over between `PipelinedRecordReader`'s reading thread and the thread that
/// validates: at most `capacity` batches wait, so the reader runs ahead by a few hundred
/// kilobytes and no more (memory stays flat in the file size), and batches come out in the order
/// they went in.
///
/// A side that had to wait is woken only once the other has made room for a few batches
/// (`wakeAfter`), not at every batch: waking a thread costs a system call and a switch each
/// time (in a virtual machine an interrupt to the other CPU too), and woken at every batch the
/// two threads took turns instead of running side by side, which cost `validate` about a tenth
/// of the reading thread's time. The last batch, and `close()`, wake at once. So with a slow
/// pipe as input (`validate -`), a batch can wait for the next one or the end before it is
/// judged: later, never lost or reordered, and never a hang, the reader being always on its way
/// to one or the other.
///
/// `@unchecked Sendable` because its state is guarded by hand: every read and write of `waiting`,
/// `closed` and the two waiting flags happens with `condition` locked, and `RecordBatch` is
/// itself `Sendable`. A condition variable (not a `Mutex`) since both sides must sleep while the
/// other catches up.
final class RecordBatchQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [RecordBatch] = []
    private var closed = false
    /// The reader waits for room, the consumer for a batch.
    private var readerWaits = false
    private var consumerWaits = false
    let capacity: Int
    /// How many batches a waiting consumer is woken for, and how much room a waiting reader is.
    private let wakeAfter: Int

    init(capacity: Int) {
        precondition(capacity > 0, "a queue must hold at least one batch")
        self.capacity = capacity
        wakeAfter = max(1, capacity / 2)
    }

    /// Adds `batch` once there is room; returns false, dropping it, when the consumer has gone
    /// (`close()`), which tells the reading thread to stop.
    func push(_ batch: RecordBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity, !closed {
            readerWaits = true
            condition.wait()
        }
        guard !closed else { return false }
        waiting.append(batch)
        if consumerWaits, waiting.count >= wakeAfter || batch.end != nil {
            consumerWaits = false
            condition.broadcast()
        }
        return true
    }

    /// The oldest batch, waiting for one if need be. The reader always ends with a batch whose
    /// `end` is set, after which the consumer pops no more.
    func pop() -> RecordBatch {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty {
            consumerWaits = true
            condition.wait()
        }
        let batch = waiting.removeFirst()
        if readerWaits, capacity - waiting.count >= wakeAfter {
            readerWaits = false
            condition.broadcast()
        }
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
