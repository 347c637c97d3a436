import CSV

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides, row by row, whether a reservation can be provisioned, and why not.
///
/// Pure apart from the memory of reservation ids seen so far (for duplicates): no I/O, and the
/// clock and time zone are given, so every rule is testable with fixed inputs. All of a row's
/// problems are reported, not only the first, so one correction pass fixes the row.
public struct ReservationValidator: Sendable {
    public static let requiredColumns = ["reservation_id", "guest_email", "listing_id", "check_in", "check_out"]
    public static let optionalColumns = ["guest_name", "guest_phone", "status"]
    /// Longest stay accepted; anything longer is almost certainly a date typo (a wrong year).
    public static let maximumStaySeconds: Int64 = 366 * 86_400

    /// The catalog's listing ids, looked up by a row's bytes (see `ByteStringSet`).
    private let listingIDs: ByteStringSet
    private let now: Timestamp
    private let zone: ZoneResolver?
    private let names: [String]
    private let reservationIDIndex: Int
    private let guestEmailIndex: Int
    private let listingIDIndex: Int
    private let checkInIndex: Int
    private let checkOutIndex: Int
    private let guestNameIndex: Int?
    private let guestPhoneIndex: Int?
    private let statusIndex: Int?
    /// The columns KeyBatch uses, checked for control characters.
    private let usedIndices: [Int]
    /// Ids seen so far. Costs the id's bytes and an 8-byte slot per row; see docs/architecture.md.
    private(set) var seenReservationIDs = ByteStringSet()

    public init(layout: HeaderLayout, catalog: ListingCatalog, now: Timestamp, zone: ZoneResolver?) {
        var listingIDs = ByteStringSet(minimumCapacity: catalog.listings.count)
        for var listingID in catalog.listings.keys { _ = listingID.withUTF8 { listingIDs.insert($0) } }
        self.listingIDs = listingIDs
        self.now = now
        self.zone = zone
        self.names = layout.names
        reservationIDIndex = layout.required["reservation_id"]
        guestEmailIndex = layout.required["guest_email"]
        listingIDIndex = layout.required["listing_id"]
        checkInIndex = layout.required["check_in"]
        checkOutIndex = layout.required["check_out"]
        guestNameIndex = layout.indices["guest_name"]
        guestPhoneIndex = layout.indices["guest_phone"]
        statusIndex = layout.indices["status"]
        usedIndices = [reservationIDIndex, guestEmailIndex, listingIDIndex, checkInIndex, checkOutIndex]
            + [guestNameIndex, guestPhoneIndex, statusIndex].compactMap { $0 }
    }

    /// Makes room for about `count` reservation ids at once, so a big file does not rehash the
    /// set of seen ids each time it doubles. Only a hint: more ids still fit.
    mutating func reserveCapacityForReservationIDs(_ count: Int) {
        seenReservationIDs.reserveCapacity(count)
    }

    public mutating func validate(line: Int, fields: [String]) -> ValidatedRow {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for field in fields {
            bytes.append(contentsOf: field.utf8)
            ends.append(bytes.count)
        }
        return bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in validate(line: line, fields: CSVRawFields(bytes: bytes, ends: ends)) }
        }
    }

    /// Judges the row on its UTF-8 bytes and builds the strings its verdict keeps.
    public mutating func validate(line: Int, fields: CSVRawFields) -> ValidatedRow {
        judge(line: line, fields: fields).validatedRow
    }

    /// Judges the row on its UTF-8 bytes, building strings only for messages: a million rows a
    /// run made a `String` per field the larger cost, and `validate` writes a valid row's line
    /// from the bytes (`JudgedRow`), so a valid row needs none at all. Every rule is applied here,
    /// whichever way the row is then used.
    public mutating func judge(line: Int, fields: CSVRawFields) -> JudgedRow {
        judge(line: line, fields: fields, preview: .unknown, upcoming: nil)
    }

    /// What the reading thread works out about a row (`RowPreview`), from its bytes alone: a
    /// function of the layout only, so it runs there without the validator.
    var preview: @Sendable (CSVRawFields) -> RowPreview {
        { [reservationIDIndex] fields in
            var hash: UInt64?
            if reservationIDIndex < fields.count {
                let id = Self.unblanked(fields[reservationIDIndex])
                if WordwiseScan.isASCII(id) { hash = ByteStringSet.hash(id) }
            }
            return RowPreview(reservationIDHash: hash, mayHoldControlCharacter: Self.mayHoldControlCharacter(fields.endToEnd.bytes))
        }
    }

    /// `judge(line:fields:)` helped by what the reading thread worked out about this row
    /// (`preview`, see `RowPreview`) and about a row to be judged a few rows from now
    /// (`upcoming`): the place in the set of seen ids where that row's reservation id will be
    /// looked up starts loading meanwhile (the one cache miss nearly every row has). Both only
    /// save work: no verdict depends on them.
    mutating func judge(line: Int, fields: CSVRawFields, preview: RowPreview, upcoming: RowPreview?) -> JudgedRow {
        if let hash = upcoming?.reservationIDHash { seenReservationIDs.prefetchSlot(hash: hash) }
        var errors: [RowError] = []
        func cellBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            index < fields.count ? Self.unblanked(fields[index]) : UnsafeBufferPointer(start: nil, count: 0)
        }
        func problem(_ code: RowErrorCode, _ index: Int, _ message: String) {
            errors.append(RowError(code: code, column: index + 1, columnName: index < names.count ? names[index] : nil, message: message))
        }
        func required(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            let value = cellBytes(index)
            if value.isEmpty { problem(.missingField, index, "\(names[index]) is empty") }
            return value
        }
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

        // A control character (a NUL, an escape sequence, a C1 control, a line separator) in a
        // value KeyBatch sends or prints is never data a guest typed: the row is refused rather
        // than sent to Seam as a name; so are bidi and zero-width characters in the two names
        // (`UnicodeFieldScan`). Most records have no byte that could be one (ASCII without
        // controls), which the reading thread may have seen already.
        if preview.mayHoldControlCharacter {
            for index in usedIndices where index < fields.count {
                let field = fields[index]
                // Most cells have none: a word-wide look decides that, the byte rules below the rest.
                guard Self.mayHoldControlCharacter(field) else { continue }
                // A name typed on two lines in a spreadsheet (a quoted cell with a line break) is
                // kept, joined with a space; line breaks anywhere else are refused.
                let allowsLineBreaks = index == guestNameIndex
                if let byte = field.first(where: { byte in
                    ((byte < 0x20 && byte != 0x09) || byte == 0x7F) && !(allowsLineBreaks && (byte == 0x0A || byte == 0x0D))
                }) {
                    problem(.controlCharacter, index, "\(names[index]) contains the control character 0x\(String(byte, radix: 16, uppercase: true))")
                } else if !WordwiseScan.isASCII(field),
                          let found = UnicodeFieldScan.firstRefused(in: field, inName: index == guestNameIndex || index == reservationIDIndex) {
                    let why = found.kind.code == .formatCharacter ? ", which is refused in a name Seam shows" : ""
                    problem(found.kind.code, index, "\(names[index]) contains \(found.kind.name) \(found.codePoint)\(why)")
                }
            }
        }

        let reservationID = required(reservationIDIndex)
        let rawEmail = required(guestEmailIndex)
        let listingID = required(listingIDIndex)
        let rawCheckIn = required(checkInIndex)
        let rawCheckOut = required(checkOutIndex)

        if !reservationID.isEmpty, !seenReservationIDs.insert(reservationID, hash: preview.reservationIDHash) {
            problem(.duplicateReservationID, reservationIDIndex, "reservation \(text(reservationID)) already appeared earlier in the file; only its first row is used")
        }

        // The normal form's place in the cell; nil when empty or invalid (the row is then invalid anyway).
        var email: EmailAddress.Normal?
        if !rawEmail.isEmpty {
            email = EmailAddress.judge(rawEmail)
            if email == nil { problem(.invalidEmail, guestEmailIndex, "'\(text(rawEmail))' is not an email address") }
        }

        var phone = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
        if let index = guestPhoneIndex {
            phone = cellBytes(index)
            if !phone.isEmpty, !PhoneNumber.isValid(bytes: phone) {
                problem(.invalidPhone, index, "'\(text(phone))' is not an E.164 phone number (like +14155550142)")
            }
        }

        var status = ReservationStatus.confirmed
        if let index = statusIndex {
            // The values as exports usually spell them match without building a string.
            let raw = cellBytes(index)
            if raw.isEmpty || Self.bytes(raw, equal: "confirmed") {
                status = .confirmed
            } else if Self.bytes(raw, equal: "cancelled") || Self.bytes(raw, equal: "canceled") {
                status = .cancelled
            } else {
                switch text(raw).lowercased() {
                case "", "confirmed": status = .confirmed
                case "cancelled", "canceled": status = .cancelled
                case let other: problem(.invalidStatus, index, "status '\(other)' is neither confirmed nor cancelled")
                }
            }
        }

        if !listingID.isEmpty, !listingIDs.contains(listingID) {
            problem(.unknownListing, listingIDIndex, "listing \(text(listingID)) is not in the listings file")
        }

        let checkIn = rawCheckIn.isEmpty ? nil : instant(rawCheckIn, index: checkInIndex, problem: problem)
        let checkOut = rawCheckOut.isEmpty ? nil : instant(rawCheckOut, index: checkOutIndex, problem: problem)
        if let checkIn, let checkOut {
            if checkOut <= checkIn {
                problem(.checkOutBeforeCheckIn, checkOutIndex, "check-out \(checkOut) is not after check-in \(checkIn)")
            } else if checkOut.millisecondsSinceEpoch - checkIn.millisecondsSinceEpoch > Self.maximumStaySeconds * 1000 {
                let days = (checkOut.millisecondsSinceEpoch - checkIn.millisecondsSinceEpoch) / 86_400_000
                problem(.stayTooLong, checkOutIndex, "a stay of \(days) days is longer than the 366 days allowed")
            }
        }

        let kind: JudgedRow.Kind
        if errors.isEmpty, email != nil, checkIn != nil, let checkOut {
            kind = checkOut <= now ? .expired : .ready
        } else {
            kind = .invalid
        }
        return JudgedRow(
            line: line, kind: kind, errors: errors, reservationID: reservationID, rawEmail: rawEmail, listingID: listingID,
            email: email, guestName: guestNameIndex.map(cellBytes) ?? UnsafeBufferPointer(start: nil, count: 0),
            guestPhone: phone, checkIn: checkIn, checkOut: checkOut, status: status
        )
    }

    private static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, equal text: StaticString) -> Bool {
        bytes.count == text.utf8CodeUnitCount && memcmp(bytes.baseAddress!, text.utf8Start, bytes.count) == 0
    }

    /// False only when `bytes` are ASCII with no byte below 0x20 and no 0x7F, so the
    /// control-character rules need not look at them byte by byte; true otherwise (a tab, a
    /// control character, or any non-ASCII byte, which `UnicodeFieldScan` then decides on), and
    /// then the rules decide. Eight bytes at a time: a byte below 0x20 or equal to 0x7F leaves its
    /// high bit set in `(x - 0x20…) & ~x` or in `(y - 0x01…) & ~y`, `y = x ^ 0x7F…`, and a
    /// non-ASCII byte has its own high bit set. The byte loop was most of `judge`'s own time; an
    /// ASCII row costs the one `| x` more.
    static func mayHoldControlCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones = WordwiseScan.ones
        return WordwiseScan.contains(bytes) { word in
            let delete = word ^ (0x7F &* ones)
            let belowSpace = (word &- 0x20 &* ones) & ~word
            let isDelete = (delete &- ones) & ~delete
            return (belowSpace | isDelete | word) & WordwiseScan.highBits != 0
        } byte: { byte in
            byte < 0x20 || byte >= 0x7F
        }
    }

    /// `bytes` without leading and trailing spaces and tabs (as `String.trimmingBlanks()`).
    private static func unblanked(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        func blank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = 0
        var end = bytes.count
        while start < end, blank(bytes[start]) { start += 1 }
        while end > start, blank(bytes[end - 1]) { end -= 1 }
        return start == 0 && end == bytes.count ? bytes : UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    private func instant(_ raw: UnsafeBufferPointer<UInt8>, index: Int, problem: (RowErrorCode, Int, String) -> Void) -> Timestamp? {
        switch TimestampParser.parse(bytes: raw) {
        case .instant(let instant)?:
            return instant
        case .local(let local)?:
            if let zone { return zone.instant(for: local) }
            problem(.invalidTime, index, "'\(String(decoding: raw, as: UTF8.self))' has no UTC offset; add Z or +hh:mm, or pass --timezone Area/City")
            return nil
        case nil:
            problem(.invalidTime, index, "'\(String(decoding: raw, as: UTF8.self))' is not an ISO 8601 time (like 2027-11-01T15:00:00Z)")
            return nil
        }
    }

    /// A multi-line name on one line: each run of line breaks becomes one space.
    static func oneLine(_ name: String) -> String {
        name.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).joined(separator: " ")
    }
}

