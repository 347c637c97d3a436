import CSV
import Foundation
import Logging

/// What every command needs to read reservations: the two files and how to interpret them.
public struct InputOptions: Sendable {
    public var reservationsPath: String
    public var listingsPath: String
    /// The reservations file's delimiter (`--delimiter`); detected from its header by default.
    public var delimiter: CSVDelimiter
    /// The listings file's (`--listings-delimiter`): often written by hand, and by another tool.
    public var listingsDelimiter: CSVDelimiter
    public var zone: ZoneResolver?
    /// The instant against which expiry is judged; injectable for tests.
    public var now: Timestamp

    public init(reservationsPath: String, listingsPath: String, delimiter: CSVDelimiter = .detect,
                listingsDelimiter: CSVDelimiter = .detect, zone: ZoneResolver? = nil, now: Timestamp = .now()) {
        self.listingsDelimiter = listingsDelimiter
        self.reservationsPath = reservationsPath
        self.listingsPath = listingsPath
        self.delimiter = delimiter
        self.zone = zone
        self.now = now
    }

    /// Loads the listings and opens the reservations, failing fast on either file's problems,
    /// and warns once about columns of the reservations file that KeyBatch does not use.
    /// - Parameter pipelined: parse the reservations on a thread of their own (see
    ///   `ReservationStream.init`); only for a caller that reads the rows synchronously.
    public func open(logger: Logger? = nil, pipelined: Bool = false) throws -> (ListingCatalog, ReservationStream) {
        let catalog = try ListingCatalog.load(path: listingsPath, delimiter: listingsDelimiter)
        let stream = try ReservationStream(path: reservationsPath, catalog: catalog, now: now, zone: zone, delimiter: delimiter,
                                           pipelined: pipelined)
        if let logger, !stream.layout.unknownColumns.isEmpty {
            logger.warning("\(reservationsPath): ignoring unknown columns: \(stream.layout.unknownColumnsBrief)")
        }
        return (catalog, stream)
    }

    /// Data rows in the reservations file (records after the header), counted by the same reader
    /// with the same delimiter rule as the run, for the progress display's total. nil for
    /// standard input and anything but a regular file (counting a pipe would consume it), or a
    /// file that cannot be read (the run itself reports why).
    public func countRows() -> Int? {
        let target = URL(fileURLWithPath: reservationsPath).resolvingSymlinksInPath().path
        guard reservationsPath != "-",
              (try? FileManager.default.attributesOfItem(atPath: target)[.type]) as? FileAttributeType == .typeRegular,
              let reader = try? CSVReader(path: reservationsPath, delimiting: delimiter, enforceFieldCount: false)
        else { return nil }
        var records = 0
        while (try? reader.nextRaw({ _, _ in () })) != nil { records += 1 }
        return max(0, records - 1)
    }
}
