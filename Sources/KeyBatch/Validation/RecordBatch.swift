import CSV

/// Records read ahead by `PipelinedRecordReader`'s reading thread, in input order: good records'
/// fields copied out of the reader's loan as bytes, CSV issues as they came, and how the input
/// ended if it did.
///
/// A value of arrays, so it is `Sendable` and crosses from the reading thread to the validating
/// one without sharing anything: the reader's own buffers are reused at every record and never
/// leave its thread.
struct RecordBatch: Sendable {
    /// One thing the reader handed out, in the order it did.
    enum Entry: Sendable {
        /// A good record: its line, where its bytes start in `bytes`, where its field ends start
        /// in `ends`, how many fields it has, and what the reading thread saw of it.
        case record(line: Int, byteStart: Int, endStart: Int, fieldCount: Int, preview: RowPreview)
        case issue(CSVIssue)
    }

    private(set) var entries: [Entry] = []
    /// Every record's fields end to end.
    private(set) var bytes: [UInt8] = []
    /// For each field, the offset just past it counted from its record's first byte (as
    /// `CSVRawFields` wants them).
    private(set) var ends: [Int] = []
    /// Set on the last batch: the input ended (nil) or reading it failed (the error).
    var end: Result<Void, CSVFileError>?
    /// Bytes held by the issues' messages and recovered fields (a record of many thousand
    /// fields with the wrong count is one issue, and may hold megabytes).
    private var issueBytes = 0

    /// About how much memory the batch holds: its bytes, its field ends and its issues. What
    /// bounds a batch (not its record count alone), so the reading thread never runs more than a
    /// few batches' worth of a hostile file ahead (found by review: issues were not counted).
    var footprint: Int { bytes.count + ends.count * MemoryLayout<Int>.stride + issueBytes }

    init(reservingRecords records: Int, bytes byteCount: Int) {
        entries.reserveCapacity(records)
        bytes.reserveCapacity(byteCount)
        ends.reserveCapacity(records * 16)
    }

    /// Copies a good record's fields in: its bytes and field ends are already laid out as the
    /// batch keeps them, so each is one copy (a copy per field cost the reading thread 6% of
    /// `validate`'s time).
    mutating func append(line: Int, fields: CSVRawFields, preview: RowPreview = .unknown) {
        let byteStart = bytes.count
        let endStart = ends.count
        let record = fields.endToEnd
        bytes.append(contentsOf: record.bytes)
        ends.append(contentsOf: record.ends)
        entries.append(.record(line: line, byteStart: byteStart, endStart: endStart, fieldCount: fields.count, preview: preview))
    }

    mutating func append(_ issue: CSVIssue) {
        entries.append(.issue(issue))
        issueBytes += issue.message.utf8.count + issue.recoveredFields.reduce(0) { $0 + $1.utf8.count + MemoryLayout<String>.stride }
    }

    /// Lends `record`'s fields to `body`, as the reader would have.
    ///
    /// `mutating` though it changes nothing: the batch is a stored property of the reader, and a
    /// non-mutating call with a closure made Swift copy the whole batch (retaining and releasing
    /// its arrays) at every record, in case the closure changed the property meanwhile; a
    /// mutating call works in place. A closure that reached the batch again (re-entering
    /// `PipelinedRecordReader.nextRaw`) would trap at run time (exclusivity checking); none does.
    mutating func withFields<T>(byteStart: Int, endStart: Int, fieldCount: Int, _ body: (CSVRawFields) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { bytes in
            try ends.withUnsafeBufferPointer { ends in
                let fieldEnds = UnsafeBufferPointer(rebasing: ends[endStart..<(endStart + fieldCount)])
                let byteEnd = byteStart + (fieldCount == 0 ? 0 : fieldEnds[fieldCount - 1])
                return try body(CSVRawFields(bytes: UnsafeBufferPointer(rebasing: bytes[byteStart..<byteEnd]), ends: fieldEnds))
            }
        }
    }
}
