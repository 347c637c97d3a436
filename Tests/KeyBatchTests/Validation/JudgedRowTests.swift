import CSV
import Foundation
import Testing
@testable import KeyBatch

/// `validate` writes a valid or expired row's line from its field bytes (`ResultsWriter.write(_: JudgedRow)`);
/// `plan` and `provision` go through `JudgedRow.validatedRow` and `ResultRow`. Both must give the
/// same line for every row: trimmed, lower-cased, quoted and formula-guarded values, expired rows.
@Suite struct JudgedRowTests {
    static let header = ["reservation_id", "guest_email", "guest_name", "guest_phone", "listing_id", "check_in", "check_out", "status"]
    static let catalog = ListingCatalog(listings: ["A-101", "-L2", "=L3", "L,4", "Ü-1", "L\"6"].map {
        Listing(listingID: $0, acsSystemID: "11111111-1111-1111-1111-111111111111", accessGroupIDs: ["55555555-5555-5555-5555-555555555555"])
    })
    static let now = Timestamp(year: 2026, month: 11, day: 29, hour: 12)

    static let rows: [[String]] = {
        func row(_ id: String, _ email: String = "jane@example.com", listing: String = "A-101", name: String = "Jane",
                 checkIn: String = "2027-01-01T15:00:00Z", checkOut: String = "2027-01-04T11:00:00Z") -> [String] {
            [id, email, name, "+1 415 555 0142", listing, checkIn, checkOut, "confirmed"]
        }
        return [
            row("R-1"), row("=SUM(1)"), row("+R2"), row("-R3"), row("@R4"), row("'R5"), row("R,6"), row("R\"7"), row("  R-8 "), row("Ré-9"),
            row("R-10", "JANE@Example.COM"), row("R-11", "  jane@example.com\t"), row("R-12", " =x@EXAMPLE.com"), row("R-13", "-x@example.com"),
            row("R-14", "O'Brien@example.com"), row("R-15", listing: "-L2"), row("R-16", listing: "=L3"), row("R-17", listing: "L,4"),
            row("R-18", listing: " Ü-1 "), row("R-19", listing: "L\"6"), row("R-20", checkIn: "2026-01-01T15:00:00Z", checkOut: "2026-01-04T11:00:00Z"),
            row("R-21-" + String(repeating: "x", count: 300)), row("R\t22"), row("R-23", name: "=cmd"),
        ]
    }()

    @Test(arguments: [ResultsFormat(), ResultsFormat(lineEnding: .lf, neutraliseFormulas: false)])
    func aJudgedRowIsWrittenAsItsValidatedRow(format: ResultsFormat) throws {
        let directory = try TemporaryDirectory()
        let layout = try HeaderLayout(header: Self.header, required: ReservationValidator.requiredColumns,
                                      optional: ReservationValidator.optionalColumns, file: "r.csv", line: 1)
        var validator = ReservationValidator(layout: layout, catalog: Self.catalog, now: Self.now, zone: nil)
        let fromBytes = try ResultsWriter(path: directory.path("bytes.csv"), layout: .validation, format: format)
        let fromRows = try ResultsWriter(path: directory.path("rows.csv"), layout: .validation, format: format)
        var kinds: [JudgedRow.Kind] = []
        for (index, fields) in Self.rows.enumerated() {
            var bytes: [UInt8] = []
            var ends: [Int] = []
            for field in fields {
                bytes.append(contentsOf: field.utf8)
                ends.append(bytes.count)
            }
            try bytes.withUnsafeBufferPointer { bytes in
                try ends.withUnsafeBufferPointer { ends in
                    let row = validator.judge(line: index + 2, fields: CSVRawFields(bytes: bytes, ends: ends))
                    kinds.append(row.kind)
                    try fromBytes.write(row)
                    try fromRows.write(ResultRow(validated: row.validatedRow))
                }
            }
        }
        try fromBytes.finish()
        try fromRows.finish()
        #expect(!kinds.contains(.invalid))
        #expect(kinds.contains(.expired))
        #expect(try directory.read("bytes.csv") == directory.read("rows.csv"))
    }
}
