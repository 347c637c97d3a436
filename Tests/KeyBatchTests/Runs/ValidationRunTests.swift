import CSV
import Foundation
import Logging
import Testing
@testable import KeyBatch

/// `validate` end to end on real files: every row accounted for, in order, with its code.
@Suite struct ValidationRunTests {
    static let listings = """
        listing_id,acs_system_id,acs_access_group_id
        A-101,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555
        A-101,11111111-1111-1111-1111-111111111111,3b6c1f0e-2d4a-4c8e-9f71-5a2b8d0e6c13

        """
    static let now = Timestamp(year: 2026, month: 11, day: 29)

    private func readResults(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(path: path)
        var rows: [[String]] = []
        while let next = try reader.next() {
            rows.append(try next.get().fields)
        }
        return rows
    }

    private func run(_ reservations: String, zone: ZoneResolver? = nil) throws -> (RunSummary, [[String]]) {
        let directory = try TemporaryDirectory()
        let input = InputOptions(reservationsPath: try directory.write("r.csv", reservations), listingsPath: try directory.write("l.csv", Self.listings),
                                 zone: zone, now: Self.now)
        let summary = try ValidationRun.run(input, resultsPath: directory.path("out.csv"), logger: Logger.silent)
        #expect(!FileManager.default.fileExists(atPath: directory.path("out.csv.partial")))
        return (summary, try readResults(directory.path("out.csv")))
    }

    @Test func everyErrorCodeWithLineAndColumn() throws {
        let file = """
            reservation_id,guest_email,guest_phone,listing_id,check_in,check_out,status
            R-1,jane@example.com,,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z,
            R-2,,,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z,
            R-3,bad-email,,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z,
            R-4,a@example.com,555,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z,
            R-5,a@example.com,,A-101,soon,2027-01-04T11:00:00Z,
            R-6,a@example.com,,A-101,2027-01-05T15:00:00Z,2027-01-04T11:00:00Z,
            R-7,a@example.com,,A-101,2027-01-01T15:00:00Z,2029-01-04T11:00:00Z,
            R-8,a@example.com,,Z-1,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z,
            R-1,a@example.com,,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z,
            R-9,a@example.com,,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z,maybe
            R-10,a@example.com,,A-101,2025-01-01T15:00:00Z,2025-01-04T11:00:00Z,
            R-11,a@example.com,,A-101,2027-01-01T15:00:00Z
            R-12,"a@exa"mple.com",,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z,
            R-13,c@example.com,,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z,cancelled

            """
        let (summary, rows) = try run(file)
        let expected: [(String, String, String)] = [
            ("2", "valid", ""), ("3", "invalid", "missing_field"), ("4", "invalid", "invalid_email"), ("5", "invalid", "invalid_phone"),
            ("6", "invalid", "invalid_time"), ("7", "invalid", "check_out_before_check_in"), ("8", "invalid", "stay_too_long"),
            ("9", "invalid", "unknown_listing"), ("10", "invalid", "duplicate_reservation_id"), ("11", "invalid", "invalid_status"),
            ("12", "expired", ""), ("13", "invalid", "wrong_field_count"), ("14", "invalid", "malformed_csv"), ("15", "valid", ""),
        ]
        #expect(rows.first == ResultsLayout.validation.header)
        #expect(rows.dropFirst().map { [$0[0], $0[4], $0[5]] } == expected.map { [$0.0, $0.1, $0.2] })
        #expect(rows[3][6].contains("column 2 (guest_email)"))
        #expect(summary.rows == 14)
        #expect(summary.count(.valid) == 2)
        #expect(summary.count(.expired) == 1)
        #expect(summary.count(.invalid) == 11)
        #expect(summary.errorsByCode["malformed_csv"] == 1)
    }

    @Test func invalidUTF8AndOverlongFieldsAreRowErrors() throws {
        let directory = try TemporaryDirectory()
        var bytes = Array("reservation_id,guest_email,listing_id,check_in,check_out\n".utf8)
        bytes += Array("R-1,a@example.com,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z\n".utf8)
        bytes += Array("R-2,a@ex".utf8) + [0xff, 0xfe] + Array("ample.com,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z\n".utf8)
        bytes += Array("R-3,a@example.com,\(String(repeating: "x", count: 70_000)),2027-01-01T15:00:00Z,2027-01-04T11:00:00Z\n".utf8)
        bytes += Array("R-4,b@example.com,A-101,2027-01-01T15:00:00Z,2027-01-04T11:00:00Z\n".utf8)
        try Data(bytes).write(to: directory.url.appendingPathComponent("r.csv"))
        let input = InputOptions(reservationsPath: directory.path("r.csv"), listingsPath: try directory.write("l.csv", Self.listings), now: Self.now)
        _ = try ValidationRun.run(input, resultsPath: directory.path("out.csv"), logger: Logger.silent)
        let rows = try readResults(directory.path("out.csv")).dropFirst()
        #expect(rows.map { [$0[0], $0[1], $0[4], $0[5]] } == [
            ["2", "R-1", "valid", ""], ["3", "R-2", "invalid", "invalid_utf8"], ["4", "R-3", "invalid", "field_too_long"], ["5", "R-4", "valid", ""],
        ])
    }

    @Test func semicolonExportsWithCamelCaseHeadersAndLocalTimes() throws {
        let directory = try TemporaryDirectory()
        let reservations = try directory.write("r.csv", """
            reservationID;guestEmail;listingID;checkIn;checkOut;notes
            R-1;Jane@Example.com;A-101;2027-07-01 15:00;2027-07-03 11:00;late arrival

            """)
        let listings = try directory.write("l.csv", Self.listings.replacingOccurrences(of: ",", with: ";"))
        let input = InputOptions(reservationsPath: reservations, listingsPath: listings, delimiter: .byte(UInt8(ascii: ";")),
                                 listingsDelimiter: .byte(UInt8(ascii: ";")), zone: ZoneResolver(identifier: "Europe/Prague"), now: Self.now)
        let summary = try ValidationRun.run(input, resultsPath: directory.path("out.csv"), logger: Logger.silent)
        #expect(summary.count(.valid) == 1)
        #expect(try readResults(directory.path("out.csv"))[1][2] == "jane@example.com")
    }

    /// A `;` export from a European PMS beside a hand-written, comma-separated listings file: each
    /// file's delimiter comes from its own header, with no flag.
    @Test func eachFilesDelimiterIsDetectedFromItsHeader() throws {
        let directory = try TemporaryDirectory()
        let reservations = try directory.write("r.csv", """
            reservation_id;guest_email;guest_name;listing_id;check_in;check_out
            R-1;jane@example.com;"Doe, Jane";A-101;2027-07-01T15:00:00Z;2027-07-03T11:00:00Z
            R-2;joe@example.com;Joe;A-101;2027-07-04T15:00:00Z;2027-07-06T11:00:00Z

            """)
        let listings = try directory.write("l.csv", Self.listings)
        let detected = InputOptions(reservationsPath: reservations, listingsPath: listings, now: Self.now)
        #expect(try ValidationRun.run(detected, resultsPath: directory.path("out.csv"), logger: Logger.silent).count(.valid) == 2)

        // A delimiter given that does not fit: the message says what split the header, and how.
        let given = InputOptions(reservationsPath: reservations, listingsPath: listings, delimiter: .byte(UInt8(ascii: ",")), now: Self.now)
        #expect {
            try ValidationRun.run(given, resultsPath: directory.path("out2.csv"), logger: Logger.silent)
        } throws: { error in
            "\(error)".contains("(1 column split on ',', the delimiter given)")
        }
        let wrongListings = InputOptions(reservationsPath: reservations, listingsPath: listings, listingsDelimiter: .byte(UInt8(ascii: ";")),
                                         now: Self.now)
        #expect {
            try ValidationRun.run(wrongListings, resultsPath: directory.path("out3.csv"), logger: Logger.silent)
        } throws: { error in
            let message = "\(error)"
            return message.contains("expected listing_id, acs_system_id, acs_access_group_id; found") && !message.contains("(optional: )")
                && message.contains("split on ';', the delimiter given")
        }
        // A header detected wrongly would say so too.
        let pipes = try directory.write("p.csv", "reservation_id|guest_email\nR-1|a@example.com\n")
        #expect {
            try ValidationRun.run(InputOptions(reservationsPath: pipes, listingsPath: listings, now: Self.now),
                                  resultsPath: directory.path("out4.csv"), logger: Logger.silent)
        } throws: { error in
            "\(error)".contains("(2 columns split on '|', detected from the header line)")
        }
    }

    @Test func fileProblemsStopTheRunBeforeAnyRow() throws {
        let directory = try TemporaryDirectory()
        let listings = try directory.write("l.csv", Self.listings)
        let missingColumn = try directory.write("r.csv", "reservation_id,guest_email\nR-1,a@example.com\n")
        #expect(throws: InputFileError.self) {
            try ValidationRun.run(InputOptions(reservationsPath: missingColumn, listingsPath: listings), resultsPath: nil, logger: Logger.silent)
        }
        #expect(throws: InputFileError.self) {
            try ValidationRun.run(InputOptions(reservationsPath: directory.path("absent.csv"), listingsPath: listings), resultsPath: nil, logger: Logger.silent)
        }
    }

    @Test func aListingOnTwoSystemsNamesBoth() throws {
        let directory = try TemporaryDirectory()
        let listings = try directory.write("l.csv", """
            listing_id,acs_system_id,acs_access_group_id
            A-101,11111111-1111-1111-1111-111111111111,55555555-5555-5555-5555-555555555555
            A-101,7d3f5a2e-9c41-4b8e-a6d2-0f5e8c1b3a97,b1f4c6d2-7e83-4a5f-9c10-6d2e8f3a5b71
            B-1,not-a-uuid,b1f4c6d2-7e83-4a5f-9c10-6d2e8f3a5b71

            """)
        #expect {
            try ListingCatalog.load(path: listings)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("l.csv:3:2") && text.contains("11111111-1111-1111-1111-111111111111") && text.contains("7d3f5a2e-9c41-4b8e-a6d2-0f5e8c1b3a97")
                && text.contains("l.csv:4:2") && text.contains("not a Seam id")
        }
    }

    @Test func listingsGroupTheirAccessGroups() throws {
        let directory = try TemporaryDirectory()
        let catalog = try ListingCatalog.load(path: try directory.write("l.csv", Self.listings))
        #expect(catalog["A-101"]?.accessGroupIDs == ["55555555-5555-5555-5555-555555555555", "3b6c1f0e-2d4a-4c8e-9f71-5a2b8d0e6c13"])
    }
}
