import CSV
import Foundation
import Testing
@testable import KeyBatch

@Suite struct ReservationValidatorTests {
    static let header = ["reservation_id", "guest_email", "guest_name", "guest_phone", "listing_id", "check_in", "check_out", "status"]
    static let catalog = ListingCatalog(listings: [
        Listing(listingID: "A-101", acsSystemID: "11111111-1111-1111-1111-111111111111", accessGroupIDs: ["55555555-5555-5555-5555-555555555555"]),
    ])
    static let now = Timestamp(year: 2026, month: 11, day: 29, hour: 12)

    private func validator(zone: ZoneResolver? = nil) throws -> ReservationValidator {
        let layout = try HeaderLayout(header: Self.header, required: ReservationValidator.requiredColumns,
                                      optional: ReservationValidator.optionalColumns, file: "r.csv", line: 1)
        return ReservationValidator(layout: layout, catalog: Self.catalog, now: Self.now, zone: zone)
    }

    private func row(id: String = "R-1", email: String = "jane@example.com", name: String = "Jane", phone: String = "",
                     listing: String = "A-101", checkIn: String = "2027-01-01T15:00:00Z",
                     checkOut: String = "2027-01-04T11:00:00Z", status: String = "") -> [String] {
        [id, email, name, phone, listing, checkIn, checkOut, status]
    }

    private func codes(_ row: ValidatedRow) -> [RowErrorCode] {
        if case .invalid(let errors) = row.verdict { return errors.map(\.code) }
        return []
    }

    /// A control character is never data a guest typed, except a line break inside a name typed
    /// on two lines in a spreadsheet, which is joined with a space.
    @Test func controlCharactersAreRefusedButAMultiLineNameIsJoined() throws {
        var validator = try validator()
        #expect(codes(validator.validate(line: 2, fields: row(id: "R-1", email: "jane\u{1B}[2J@example.com"))).contains(.controlCharacter))
        #expect(codes(validator.validate(line: 3, fields: row(id: "R-2\u{0}"))).contains(.controlCharacter))
        #expect(codes(validator.validate(line: 4, fields: row(id: "R-3", listing: "A-101\n"))).contains(.controlCharacter))
        let multiLine = validator.validate(line: 5, fields: row(id: "R-4", name: "Jane\r\nvan Doe\tJr"))
        guard case .ready(let reservation) = multiLine.verdict else {
            Issue.record("a two-line name is fine, got \(multiLine.verdict)")
            return
        }
        #expect(reservation.guestName == "Jane van Doe\tJr")
    }

    /// The word-wide look that spares most cells the byte rules must see every control byte and
    /// every non-ASCII byte (which the Unicode rule then judges), wherever it sits in the word or
    /// the tail, and pass every other ASCII cell.
    @Test func theWordWideLookFindsEveryControlByteAndOnlyThose() {
        var misses: [String] = []
        for background: UInt8 in [UInt8(ascii: "a"), 0x20, 0x7E, 0x80, 0xC3, 0xFF] {
            for length in [1, 7, 8, 9, 10, 15, 16, 23] {
                for position in 0..<length {
                    for byte in UInt8.min...UInt8.max {
                        var cell = [UInt8](repeating: background, count: length)
                        cell[position] = byte
                        let found = cell.withUnsafeBufferPointer { ReservationValidator.mayHoldControlCharacter($0) }
                        if found != (byte < 0x20 || byte >= 0x7F || (background >= 0x80 && length > 1)) { misses.append("\(byte) at \(position) of \(length) in \(background)s") }
                    }
                }
            }
        }
        #expect(misses.isEmpty, "\(misses.prefix(10))")
        #expect(!ReservationValidator.mayHoldControlCharacter(UnsafeBufferPointer(start: nil, count: 0)))
    }

    /// C1 controls and the line and paragraph separators are refused in every column KeyBatch
    /// uses; bidi controls and zero-width characters in the two columns Seam gets as names.
    @Test(arguments: [0x80, 0x85, 0x9B, 0x9F, 0x2028, 0x2029] as [UInt32])
    func c1ControlsAndSeparatorsAreRefusedInEveryColumn(scalar: UInt32) throws {
        let character = String(Character(Unicode.Scalar(scalar)!))
        let codePoint = "U+" + String(format: "%04X", scalar)
        var validator = try validator()
        let rows: [(String, [String])] = [
            ("reservation_id", row(id: "R-1\(character)x")), ("guest_name", row(id: "R-2", name: "Ja\(character)ne")),
            ("guest_email", row(id: "R-3", email: "jane\(character)@example.com")), ("listing_id", row(id: "R-4", listing: "A-101\(character)")),
            ("status", row(id: "R-5", status: "confirmed\(character)")),
        ]
        for (line, (column, fields)) in rows.enumerated() {
            let result = validator.validate(line: line + 2, fields: fields)
            guard case .invalid(let errors) = result.verdict, let error = errors.first(where: { $0.code == .controlCharacter }) else {
                Issue.record("\(codePoint) in \(column) passed: \(result.verdict)")
                continue
            }
            #expect(error.columnName == column)
            #expect(error.message.contains(codePoint), "\(error.message)")
        }
    }

    @Test(arguments: [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
                      0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF] as [UInt32])
    func bidiAndZeroWidthCharactersAreRefusedInNamesOnly(scalar: UInt32) throws {
        let character = String(Character(Unicode.Scalar(scalar)!))
        let codePoint = "U+" + String(format: "%04X", scalar)
        var validator = try validator()
        for (line, (column, fields)) in [("reservation_id", row(id: "C-bidi\(character)gnp.exe")),
                                         ("guest_name", row(id: "R-2", name: "Jane\(character) Doe"))].enumerated() {
            let result = validator.validate(line: line + 2, fields: fields)
            guard case .invalid(let errors) = result.verdict, let error = errors.first(where: { $0.code == .formatCharacter }) else {
                Issue.record("\(codePoint) in \(column) passed: \(result.verdict)")
                continue
            }
            #expect(error.columnName == column)
            #expect(error.message.contains(codePoint), "\(error.message)")
        }
        // Not a name: left to the column's own rule (a status that is not confirmed or cancelled).
        #expect(codes(validator.validate(line: 5, fields: row(id: "R-5", status: "confirmed\(character)"))) == [.invalidStatus])
    }

    /// Text that merely is not ASCII stays valid: accents, scripts written right to left, emoji
    /// (whose joiner U+200D is refused, being zero-width), and the characters next to the refused
    /// ones in their blocks.
    @Test func otherNonASCIITextIsAccepted() throws {
        var validator = try validator()
        for (line, name) in ["José Müller", "Zoë Ñandú", "نور حسن", "שרה לוי", "山田 太郎", "A\u{00A0}B", "\u{2027}\u{202F}\u{2065}\u{206A}\u{200A}\u{FEFE}\u{061B}"].enumerated() {
            let result = validator.validate(line: line + 2, fields: row(id: "R-\(line)é", name: name))
            guard case .ready = result.verdict else {
                Issue.record("\(name) was refused: \(result.verdict)")
                continue
            }
        }
    }

    @Test func aGoodRowIsReadyAndNormalised() throws {
        var validator = try validator()
        let result = validator.validate(line: 2, fields: row(email: " Jane@Example.com ", phone: "+1 415 555 0142", checkIn: "2027-01-01T16:00:00+01:00"))
        guard case .ready(let reservation) = result.verdict else {
            Issue.record("expected ready, got \(result.verdict)")
            return
        }
        #expect(reservation.guestEmail == "jane@example.com")
        #expect(reservation.guestPhone == "+14155550142")
        #expect(reservation.checkIn.iso8601 == "2027-01-01T15:00:00Z")
        #expect(reservation.status == .confirmed)
        #expect(result.identity.guestEmail == "jane@example.com")
    }

    @Test(arguments: [
        ([0: ""], RowErrorCode.missingField),
        ([1: "nope"], .invalidEmail),
        ([3: "555-0100"], .invalidPhone),
        ([5: "next week"], .invalidTime),
        ([5: "2027-01-01 15:00"], .invalidTime),
        ([6: "2026-12-30T00:00:00Z"], .checkOutBeforeCheckIn),
        ([6: "2027-01-01T15:00:00Z"], .checkOutBeforeCheckIn),
        ([6: "2028-01-03T15:00:00Z"], .stayTooLong),
        ([4: "Z-9"], .unknownListing),
        ([7: "tentative"], .invalidStatus),
    ] as [([Int: String], RowErrorCode)])
    func eachRuleHasItsCode(changes: [Int: String], code: RowErrorCode) throws {
        var validator = try validator()
        var fields = row()
        for (index, value) in changes { fields[index] = value }
        let result = validator.validate(line: 7, fields: fields)
        #expect(codes(result) == [code])
        if case .invalid(let errors) = result.verdict {
            #expect(errors[0].column == changes.keys.first.map { $0 + 1 } || code == .checkOutBeforeCheckIn || code == .stayTooLong)
            #expect(!errors[0].message.isEmpty)
        }
    }

    @Test func aStayOfExactly366DaysIsAllowed() throws {
        var validator = try validator()
        #expect(codes(validator.validate(line: 2, fields: row(checkIn: "2027-01-01T00:00:00Z", checkOut: "2028-01-02T00:00:00Z"))) == [])
    }

    @Test func everyProblemOfARowIsReported() throws {
        var validator = try validator()
        let result = validator.validate(line: 3, fields: row(email: "bad", phone: "12", listing: "nowhere", checkIn: "x", status: "maybe"))
        #expect(Set(codes(result)) == [.invalidEmail, .invalidPhone, .unknownListing, .invalidTime, .invalidStatus])
    }

    /// `validate`'s reading thread previews each row (its id's hash, whether any byte could be a
    /// control character) and the judging thread trusts it: the verdicts must be the ones judged
    /// without, for rows with control characters, tabs, padded, empty and non-ASCII ids among
    /// canonically equivalent duplicates, each also given as the upcoming row's preview.
    @Test func aRowsPreviewChangesNoVerdict() throws {
        let rows = [
            row(id: "R-1"), row(id: " R-1 "), row(id: "R-2", name: "Jane\tDoe"), row(id: "R-3\u{7F}"),
            row(id: "R-4", listing: "A-101\n"), row(id: "R-4", name: "Two\nLines"), row(id: ""), row(id: "\t"),
            row(id: "caf\u{E9}"), row(id: "cafe\u{301}"), row(id: "\u{212A}-1"), row(id: "K-1"), row(id: "R-1", email: "bad"),
            row(id: "R-5", email: "x\u{1}@example.com"), row(id: String(repeating: "L", count: 300)), row(id: String(repeating: "L", count: 300)),
        ]
        var plain = try validator()
        var previewed = try validator()
        let preview = previewed.preview
        for (index, fields) in rows.enumerated() {
            let bytes = fields.flatMap { Array($0.utf8) }
            var ends: [Int] = []
            for field in fields { ends.append((ends.last ?? 0) + field.utf8.count) }
            let (expected, got) = bytes.withUnsafeBufferPointer { bytes in
                ends.withUnsafeBufferPointer { ends in
                    let raw = CSVRawFields(bytes: bytes, ends: ends)
                    let upcoming = preview(raw)
                    return (String(describing: plain.judge(line: index + 2, fields: raw).validatedRow),
                            String(describing: previewed.judge(line: index + 2, fields: raw, preview: preview(raw), upcoming: upcoming).validatedRow))
                }
            }
            #expect(got == expected, "row \(index + 2)")
        }
        #expect(plain.seenReservationIDs.strings == previewed.seenReservationIDs.strings)
        #expect(previewed.seenReservationIDs.count == 8) // R-1 to R-5 (R-3 with its DEL), café, K-1, the long one
    }

    @Test func secondAndLaterOccurrencesOfAnIDAreDuplicates() throws {
        var validator = try validator()
        #expect(codes(validator.validate(line: 2, fields: row(id: "R-7"))) == [])
        #expect(codes(validator.validate(line: 3, fields: row(id: "R-7"))) == [.duplicateReservationID])
        #expect(codes(validator.validate(line: 4, fields: row(id: "R-7", email: "x"))) == [.duplicateReservationID, .invalidEmail])
        #expect(codes(validator.validate(line: 5, fields: row(id: "R-8"))) == [])
    }

    @Test func pastCheckOutIsExpiredNotAnError() throws {
        var validator = try validator()
        let result = validator.validate(line: 2, fields: row(checkIn: "2025-03-01T15:00:00Z", checkOut: "2025-03-04T11:00:00Z"))
        guard case .expired = result.verdict else {
            Issue.record("expected expired, got \(result.verdict)")
            return
        }
    }

    @Test func cancelledIsAcceptedInBothSpellings() throws {
        var validator = try validator()
        for (index, spelling) in ["cancelled", "Canceled", " CONFIRMED "].enumerated() {
            let result = validator.validate(line: 2, fields: row(id: "R-\(index)", status: spelling))
            guard case .ready(let reservation) = result.verdict else {
                Issue.record("\(spelling) rejected")
                continue
            }
            #expect(reservation.status == (index < 2 ? .cancelled : .confirmed))
        }
    }

    @Test func localTimesNeedAZone() throws {
        var validator = try validator(zone: ZoneResolver(identifier: "Europe/Prague"))
        let result = validator.validate(line: 2, fields: row(checkIn: "2027-07-01 15:00", checkOut: "2027-07-03"))
        guard case .ready(let reservation) = result.verdict else {
            Issue.record("expected ready, got \(result.verdict)")
            return
        }
        #expect(reservation.checkIn.iso8601 == "2027-07-01T13:00:00Z")
        #expect(reservation.checkOut.iso8601 == "2027-07-02T22:00:00Z")
    }

    @Test func headerNamesMatchInEitherCase() throws {
        let layout = try HeaderLayout(header: [" ReservationID", "guestEmail", "LISTING_ID", "checkIn", "check out", "notes"],
                                      required: ReservationValidator.requiredColumns, optional: ReservationValidator.optionalColumns,
                                      file: "r.csv", line: 1)
        #expect(layout.indices["reservation_id"] == 0)
        #expect(layout.indices["check_out"] == 4)
        #expect(layout.unknownColumns == ["notes"])
    }

    @Test func aMissingRequiredColumnNamesWhatWasExpected() {
        #expect {
            try HeaderLayout(header: ["reservation_id", "email"], required: ReservationValidator.requiredColumns,
                             optional: [], file: "r.csv", line: 1)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("r.csv:1") && text.contains("guest_email") && text.contains("check_out") && text.contains("found reservation_id, email")
        }
    }

    /// A 10,000-column export once printed a 69 KB warning line: names are listed briefly.
    @Test func tenThousandUnknownColumnsAreListedBriefly() throws {
        let extra = (1...10_000).map { "extra_column_with_a_rather_long_name_number_\($0)" }
        let layout = try HeaderLayout(header: ReservationValidator.requiredColumns + extra,
                                      required: ReservationValidator.requiredColumns, optional: [], file: "r.csv", line: 1)
        #expect(layout.unknownColumns.count == 10_000)
        let brief = layout.unknownColumnsBrief
        #expect(brief.count < 1_000)
        #expect(brief.hasPrefix("extra_column_with_a_rather_long_name_nu…, "))
        #expect(brief.hasSuffix(" and 9988 more"))
        #expect {
            try HeaderLayout(header: extra, required: ReservationValidator.requiredColumns, optional: [], file: "r.csv", line: 1)
        } throws: { error in
            String(describing: error).count < 1_500 && String(describing: error).contains("and 9988 more")
        }
    }

    /// Excel's "CSV (Comma delimited)" on Windows: accented names are single bytes. Refused once,
    /// saying how to convert, instead of as a wall of `invalid_utf8` rows; one or two stray bytes
    /// in a UTF-8 file (or any file with real UTF-8 in it) stay the rows' errors.
    @Test func aWindows1252ExportIsRefusedWithHowToConvertIt() throws {
        let directory = try TemporaryDirectory()
        let header = Array("reservation_id,guest_email,guest_name,listing_id,check_in,check_out\n".utf8)
        func row(_ id: Int, _ name: [UInt8]) -> [UInt8] {
            Array("R-\(id),g\(id)@example.com,".utf8) + name + Array(",A-101,2027-07-01T15:00:00Z,2027-07-03T11:00:00Z\n".utf8)
        }
        let latin1 = header + row(1, [0x4A, 0xE9, 0x72, 0xF4, 0x6D, 0x65]) + row(2, Array("Ann".utf8)) + row(3, [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72])
            + row(4, [0x53, 0xF8, 0x72, 0x65, 0x6E])
        let path = directory.path("latin1.csv")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(latin1)))
        let now = Timestamp(year: 2026, month: 12, day: 1)
        #expect {
            try ReservationStream(path: path, catalog: ListingCatalog(listings: []), now: now, zone: nil)
        } throws: { error in
            let message = String(describing: error)
            return message.hasPrefix("\(path):2: the file is not UTF-8: it looks like Windows-1252 or Latin-1")
                && message.contains("iconv -f WINDOWS-1252 -t UTF-8") && message.hasSuffix("(seen on lines 2, 4, 5)")
        }
        // Two stray bytes, or the same bytes beside real UTF-8: rows, not the file.
        for (name, bytes) in [("stray.csv", header + row(1, [0x4A, 0xE9]) + row(2, [0xFC]) + row(3, Array("Ann".utf8))),
                              ("mixed.csv", latin1 + row(9, Array("Zoë".utf8)))] {
            let file = directory.path(name)
            #expect(FileManager.default.createFile(atPath: file, contents: Data(bytes)))
            #expect(throws: Never.self) { try ReservationStream(path: file, catalog: ListingCatalog(listings: []), now: now, zone: nil) }
        }
    }

    @Test(arguments: [
        ([0xFF, 0xFE, 0x72, 0x00], "UTF-16 (little-endian)"), ([0xFE, 0xFF, 0x00, 0x72], "UTF-16 (big-endian)"),
        ([0x72, 0x00, 0x65, 0x00], "UTF-16 (little-endian)"), ([0xFF, 0xFE, 0x00, 0x00], "UTF-32 (little-endian)"),
    ] as [([UInt8], String)])
    func aFileInUTF16OrUTF32IsRefusedByName(opening: [UInt8], encoding: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("r.csv")
        let header = Array("reservation_id,guest_email,listing_id,check_in,check_out\n".utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(opening + header)))
        #expect {
            try ReservationStream(path: path, catalog: ListingCatalog(listings: []), now: Timestamp(year: 2026, month: 12, day: 1), zone: nil)
        } throws: { error in
            String(describing: error) == "\(path):1:1: the file is \(encoding), not UTF-8; save or export it as UTF-8 (in Excel: \"CSV UTF-8\")"
        }
        #expect { try ListingCatalog.load(path: path) } throws: { String(describing: $0).contains("the file is \(encoding), not UTF-8") }
    }

    @Test func aUTF8FileWithItsByteOrderMarkIsNotForeign() {
        #expect(ForeignEncoding.recognise(openingBytes: [0xEF, 0xBB, 0xBF, 0x72]) == nil)
        #expect(ForeignEncoding.recognise(openingBytes: Array("reservation_id".utf8)) == nil)
        #expect(ForeignEncoding.recognise(openingBytes: [0x72]) == nil)
    }
}
