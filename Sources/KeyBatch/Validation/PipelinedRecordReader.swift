import CSV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `CSVReader` run on a thread of its own, a few batches ahead of its consumer: `validate`
/// parses on one core (libcsv and the reader's work are about a third of its time) while it
/// judges and writes the rows read before on the other.
///
/// It hands out exactly what the reader would have, in the same order: each good record's line
/// and fields (`nextRaw(_:)`), each `CSVIssue` with its line and column, then nil at the end, or
/// the reader's `CSVFileError` at the point where reading failed. The reader itself is moved to
/// the reading thread (`HandOver`), and only `Sendable` batches of copied bytes come back
/// (`RecordBatch`, `RecordBatchQueue`).
///
/// Memory is bounded: at most `queueCapacity` batches of `recordsPerBatch` records (or about
/// `batchBytes` of bytes, field ends and issues: `RecordBatch.footprint`) wait at any time.
/// Dropping the consumer closes the queue, and the reading thread stops at its next hand-over.
///
/// Not thread-safe on the consumer side: use it from one thread at a time.
final class PipelinedRecordReader {
    private let queue: RecordBatchQueue
    private var batch = RecordBatch(reservingRecords: 0, bytes: 0)
    private var nextEntry = 0
    private var ended = false

    /// Starts reading `reader` (already past its header) on a new thread, which owns it from
    /// then on: the caller must keep no reference to it.
    /// - Parameter preview: what the reading thread works out about each good record for the
    ///   consumer (`RowPreview`); nil to work out nothing (`.unknown`).
    init(_ reader: CSVReader, preview: (@Sendable (CSVRawFields) -> RowPreview)? = nil,
         recordsPerBatch: Int = 128, batchBytes: Int = 32 * 1024, queueCapacity: Int = 4) {
        precondition(recordsPerBatch > 0 && batchBytes > 0, "batches must hold something")
        let queue = RecordBatchQueue(capacity: queueCapacity)
        self.queue = queue
        let handOver = HandOver(reader)
        Self.startThread {
            Self.read(handOver.take(), into: queue, preview: preview, recordsPerBatch: recordsPerBatch, batchBytes: batchBytes)
        }
    }

    /// Runs `body` on a new detached POSIX thread. Not a Foundation `Thread`, which added about
    /// 0.6 MB to the peak memory (issue 13 asks for none); the stack is 1 MiB, the reader's
    /// frames being shallow.
    private static func startThread(_ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 1 << 20)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { context in
            Unmanaged<ThreadBody>.fromOpaque(ThreadBody.unwrap(context)).takeRetainedValue().body()
            return nil
        }, context)
        precondition(status == 0, "could not start the CSV reading thread (pthread_create: \(status))")
    }

    deinit {
        queue.close()
    }

    /// The reading thread's loop: fills batches until the input ends, reading fails, or the
    /// consumer has gone.
    private static func read(_ reader: CSVReader, into queue: RecordBatchQueue, preview: ((CSVRawFields) -> RowPreview)?,
                             recordsPerBatch: Int, batchBytes: Int) {
        while true {
            var batch = RecordBatch(reservingRecords: recordsPerBatch, bytes: batchBytes + batchBytes / 4)
            do throws(CSVFileError) {
                while batch.entries.count < recordsPerBatch, batch.footprint < batchBytes {
                    guard let next = try reader.nextRaw({ line, fields in batch.append(line: line, fields: fields, preview: preview?(fields) ?? .unknown) }) else {
                        batch.end = .success(())
                        break
                    }
                    if case .failure(let issue) = next { batch.append(issue) }
                }
            } catch {
                batch.end = .failure(error)
            }
            let isLast = batch.end != nil
            guard queue.push(batch), !isLast else { return }
        }
    }

    /// Like `CSVReader.nextRaw(_:)`: lends the next good record's fields to `body` and returns
    /// what it returns, or hands back the next issue, or nil at the end of the input.
    ///
    /// `body` also gets the record's preview, and that of the good record `distance` entries
    /// later when this batch holds it (nil for a batch's last `distance` entries), for the
    /// validator to start loading what judging that record will need while it judges this one
    /// (`ReservationValidator.judge`). `body` must not call back into this reader.
    /// - Throws: the reader's `CSVFileError`, in the place where it came.
    func nextRaw<T>(
        lookingAhead distance: Int = 0,
        _ body: (_ line: Int, _ fields: CSVRawFields, _ preview: RowPreview, _ upcoming: RowPreview?) -> T
    ) throws(CSVFileError) -> Result<T, CSVIssue>? {
        while nextEntry == batch.entries.count {
            if ended { return nil }
            if let end = batch.end {
                ended = true
                queue.close()
                try end.get()
                return nil
            }
            batch = queue.pop()
            nextEntry = 0
        }
        let entry = batch.entries[nextEntry]
        var upcoming: RowPreview?
        if distance > 0, nextEntry + distance < batch.entries.count,
           case .record(_, _, _, _, let preview) = batch.entries[nextEntry + distance] {
            upcoming = preview
        }
        nextEntry += 1
        switch entry {
        case .issue(let issue):
            return .failure(issue)
        case .record(let line, let byteStart, let endStart, let fieldCount, let preview):
            return .success(batch.withFields(byteStart: byteStart, endStart: endStart, fieldCount: fieldCount) {
                body(line, $0, preview, upcoming)
            })
        }
    }

    /// The closure a new thread runs, passed through `pthread_create`'s context pointer.
    private final class ThreadBody: Sendable {
        let body: @Sendable () -> Void

        init(_ body: @escaping @Sendable () -> Void) {
            self.body = body
        }

        /// The context pointer is optional on Linux and not on Darwin.
        static func unwrap(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer {
            context!
        }
    }

    /// Carries the reader to the reading thread. `@unchecked Sendable` because the compiler cannot
    /// see the move (Swift 6.3 refused passing the stream's reader as `sending`, diagnosing a race
    /// at the end of the caller's scope): the caller keeps no reference (`ReservationStream`
    /// stores nil), `pthread_create` orders the hand-over before the thread runs, and the thread
    /// takes the reader out once and is then its only user.
    private final class HandOver: @unchecked Sendable {
        private var reader: CSVReader?

        init(_ reader: CSVReader) {
            self.reader = reader
        }

        func take() -> CSVReader {
            defer { reader = nil }
            return reader!
        }
    }
}
