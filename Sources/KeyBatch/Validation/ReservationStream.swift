import CSV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reservations file → validated rows, one at a time, in input order.
///
/// The front of every pipeline (`validate`, `plan`, `provision`): it owns the CSV reader, checks
/// the header before the first row, and turns each record or CSV issue into exactly one
/// `ValidatedRow`, so nothing read is ever dropped.
public final class ReservationStream {
    public let path: String
    public let layout: HeaderLayout
    /// The reader, used on this thread; nil when `pipeline` reads on a thread of its own.
    private let reader: CSVReader?
    private let pipeline: PipelinedRecordReader?
    private var validator: ReservationValidator
    /// Size of the input when it is a regular file, to estimate its row count.
    private let fileBytes: Int?
    /// Rows and field bytes seen while estimating the row count (see `sampleRowCount`).
    private var sampledRows = 0
    private var sampledBytes = 0
    private static let sampleRowCount = 1000
    /// No row of a reservation is shorter than this, so an estimate above `fileBytes / this`
    /// is wrong (it only bounds the memory a misleading sample could reserve).
    private static let minimumRowBytes = 32
    /// How many rows ahead of the one judged the validator is shown a row (pipelined only, where
    /// the rows are already read): enough for its id's slot to arrive from memory meanwhile.
    private static let upcomingDistance = 4
    /// The most ids reserved for up front (16 MiB of table): the benchmark's million rows.
    private static let maximumReservedRows = 1 << 20

    /// Opens the file and reads its header.
    /// - Parameter pipelined: read and parse the rows after the header on a thread of their own
    ///   (`PipelinedRecordReader`), a few batches ahead of the validation, for `validate`, which
    ///   is synchronous; the rows, issues and errors come the same, in the same order.
    /// - Throws: `InputFileError` when the file cannot be read or required columns are missing.
    public init(path: String, catalog: ListingCatalog, now: Timestamp, zone: ZoneResolver?, delimiter: CSVDelimiter = .detect,
                pipelined: Bool = false) throws {
        self.path = path
        let reader = try InputFileError.catching { () throws(CSVFileError) in try CSVReader(path: path, delimiting: delimiter) }
        var header: CSVRecord?
        while header == nil {
            let next = try InputFileError.catching { () throws(CSVFileError) in try reader.next() }
            try InputFileError.refuseForeignEncoding(of: reader)
            switch next {
            case nil:
                throw InputFileError(file: path, line: nil, column: nil, reason: "the file is empty; expected a header with \(ReservationValidator.requiredColumns.joined(separator: ", "))")
            case .failure(let issue):
                throw InputFileError(file: path, line: issue.line, column: issue.column, reason: "the header row is unreadable: \(issue.message)")
            case .success(let record):
                header = record
            }
        }
        layout = try HeaderLayout(
            header: header!.fields, required: ReservationValidator.requiredColumns,
            optional: ReservationValidator.optionalColumns, file: path, line: header!.line, splitBy: reader
        )
        validator = ReservationValidator(layout: layout, catalog: catalog, now: now, zone: zone)
        fileBytes = Self.regularFileSize(path)
        // Pipelined, the stream keeps no reference to the reader: the pipeline's thread owns it.
        self.reader = pipelined ? nil : reader
        pipeline = pipelined ? PipelinedRecordReader(reader, preview: validator.preview) : nil
    }

    /// Every non-empty reservation id read so far, valid or not, unreadable rows included
    /// (for `--sync`: a row with a stray comma is still a current reservation).
    public var reservationIDs: Set<String> { validator.seenReservationIDs.strings.union(idsOfUnreadableRows) }
    /// Kept apart from the validator's set so that an unreadable row does not make a later,
    /// readable row of the same reservation a "duplicate".
    private var idsOfUnreadableRows: Set<String> = []

    /// The next row, or nil at the end of the file.
    /// - Throws: `InputFileError` only when reading itself fails (I/O), never for a bad row.
    public func next() throws -> ValidatedRow? {
        try nextJudged({ $0.validatedRow }, unreadable: { $0 })
    }

    /// The next row handed to `judged` as the validator judged it on the field bytes (a
    /// `JudgedRow`, valid only inside `judged`), or to `unreadable` when the reader found a CSV
    /// issue instead; returns what they return, or nil at the end of the file. `validate` writes
    /// a valid row's line from the bytes, without making a `ValidatedRow` of it.
    /// - Throws: `InputFileError` when reading fails (I/O), or what `judged` or `unreadable` throw.
    public func nextJudged<T>(_ judged: (JudgedRow) throws -> T, unreadable: (ValidatedRow) throws -> T) throws -> T? {
        // Fields come as bytes: the validator builds strings only for what it keeps.
        func judge(line: Int, fields: CSVRawFields, preview: RowPreview, upcoming: RowPreview?) -> Result<T, any Error> {
            if sampledRows < Self.sampleRowCount, let fileBytes { sample(fields, fileBytes: fileBytes) }
            let row = validator.judge(line: line, fields: fields, preview: preview, upcoming: upcoming)
            return Result { try judged(row) }
        }
        let read: Result<Result<T, any Error>, CSVIssue>? = try InputFileError.catching { () throws(CSVFileError) in
            if let pipeline {
                try pipeline.nextRaw(lookingAhead: Self.upcomingDistance, judge)
            } else {
                try reader!.nextRaw { judge(line: $0, fields: $1, preview: .unknown, upcoming: nil) }
            }
        }
        switch read {
        case nil:
            return nil
        case .success(let result):
            return try result.get()
        case .failure(let issue):
            return try unreadable(invalidRow(for: issue))
        }
    }

    /// Averages the first rows' sizes, then reserves room for the file's estimated row count in
    /// the validator's set of seen ids, which otherwise rehashes every id each time it grows.
    private func sample(_ fields: CSVRawFields, fileBytes: Int) {
        sampledRows += 1
        sampledBytes += fields.count // delimiters and line break
        for index in 0..<fields.count { sampledBytes += fields[index].count }
        guard sampledRows == Self.sampleRowCount, sampledBytes > 0 else { return }
        // Divided before multiplied (a sparse file of petabytes must not overflow), and capped:
        // the set's table is filled when made, so a file padded with blank lines must not
        // reserve memory for rows it lacks (found by review); past the cap it grows as needed.
        let bytesPerRow = max(Self.minimumRowBytes, sampledBytes / sampledRows)
        validator.reserveCapacityForReservationIDs(min(fileBytes / bytesPerRow, Self.maximumReservedRows))
    }

    private static func regularFileSize(_ path: String) -> Int? {
        guard path != "-" else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    private func invalidRow(for issue: CSVIssue) -> ValidatedRow {
        func recovered(_ name: String) -> String {
            guard let index = layout.indices[name], index < issue.recoveredFields.count else { return "" }
            return issue.recoveredFields[index].trimmingBlanks()
        }
        let code: RowErrorCode = switch issue.kind {
        case .malformedCSV: .malformedCSV
        case .wrongFieldCount: .wrongFieldCount
        case .invalidUTF8: .invalidUTF8
        case .fieldTooLong: .fieldTooLong
        }
        let columnName = issue.kind == .malformedCSV ? nil : issue.column.flatMap { $0 - 1 < layout.names.count && $0 >= 1 ? layout.names[$0 - 1] : nil }
        let identity = ValidatedRow.Identity(
            line: issue.line, reservationID: recovered("reservation_id"),
            guestEmail: recovered("guest_email"), listingID: recovered("listing_id")
        )
        if !identity.reservationID.isEmpty { idsOfUnreadableRows.insert(identity.reservationID) }
        let error = RowError(code: code, column: issue.column, columnName: columnName, message: issue.message)
        return ValidatedRow(identity: identity, verdict: .invalid([error]))
    }
}
