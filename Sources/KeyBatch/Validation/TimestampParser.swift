/// Parses the ISO 8601 / RFC 3339 times found in reservation exports.
///
/// Accepted: `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM[:SS[.fraction]]`,
/// optionally followed by `Z` or an offset `±HH:MM`, `±HHMM` or `±HH`. A time with an offset is
/// an instant; one without (or a bare date, read as midnight) is a local time that needs a zone.
/// Fractions beyond milliseconds are truncated. Hand-written over UTF-8 bytes because parsing and
/// formatting back a million times took 0.34 s here against 0.72 s with `Date.ISO8601FormatStyle`
/// and 40 s with `ISO8601DateFormatter` (`KeyBatchBench timestamps`), and offsets in both
/// directions plus local times need the parsed fields anyway.
public enum TimestampParser {
    public enum Parsed: Sendable, Hashable {
        case instant(Timestamp)
        case local(LocalDateTime)
    }

    public static func parse(_ text: String) -> Parsed? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
        var cursor = ByteCursor(bytes: bytes)
        cursor.skipSpaces()
        guard let year = cursor.digits(4), cursor.consume(UInt8(ascii: "-")),
              let month = cursor.digits(2), cursor.consume(UInt8(ascii: "-")),
              let day = cursor.digits(2),
              (1...12).contains(month), day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month)
        else { return nil }

        var local = LocalDateTime(year: year, month: month, day: day, hour: 0, minute: 0, second: 0, millisecond: 0)
        cursor.skipTrailingSpaces()
        if cursor.isAtEnd { return .local(local) }

        guard cursor.consume(UInt8(ascii: "T")) || cursor.consume(UInt8(ascii: "t")) || cursor.consume(UInt8(ascii: " ")),
              let hour = cursor.digits(2), cursor.consume(UInt8(ascii: ":")),
              let minute = cursor.digits(2), hour < 24, minute < 60
        else { return nil }
        local.hour = hour
        local.minute = minute
        if cursor.consume(UInt8(ascii: ":")) {
            guard let second = cursor.digits(2), second < 60 else { return nil }
            local.second = second
            if cursor.consume(UInt8(ascii: ".")) || cursor.consume(UInt8(ascii: ",")) {
                guard let millisecond = cursor.fractionAsMilliseconds() else { return nil }
                local.millisecond = millisecond
            }
        }

        cursor.skipTrailingSpaces()
        if cursor.isAtEnd { return .local(local) }
        if cursor.consume(UInt8(ascii: "Z")) || cursor.consume(UInt8(ascii: "z")) {
            cursor.skipTrailingSpaces()
            return cursor.isAtEnd ? .instant(local.asIfUTC) : nil
        }
        guard let offsetMinutes = cursor.utcOffsetMinutes() else { return nil }
        cursor.skipTrailingSpaces()
        guard cursor.isAtEnd else { return nil }
        return .instant(local.asIfUTC.adding(seconds: -Int64(offsetMinutes) * 60))
    }
}

/// A forward-only reader over a byte buffer; every method leaves the cursor unchanged on failure
/// only where the grammar needs it (the optional separators).
private struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index == bytes.count }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
    }

    /// Trailing blanks are allowed only if nothing but blanks follows.
    mutating func skipTrailingSpaces() {
        var probe = index
        while probe < bytes.count, bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\t") { probe += 1 }
        if probe == bytes.count { index = probe }
    }

    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            let digit = Int(bytes[index + offset]) - 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        index += count
        return value
    }

    mutating func fractionAsMilliseconds() -> Int? {
        var millis = 0
        var seen = 0
        while index < bytes.count {
            let digit = Int(bytes[index]) - 48
            guard digit >= 0, digit <= 9 else { break }
            if seen < 3 { millis = millis * 10 + digit }
            seen += 1
            index += 1
        }
        guard seen > 0 else { return nil }
        for _ in seen..<max(seen, 3) { millis *= 10 }
        return millis
    }

    mutating func utcOffsetMinutes() -> Int? {
        guard index < bytes.count else { return nil }
        let sign: Int
        switch bytes[index] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        index += 1
        guard let hours = digits(2), hours <= 23 else { return nil }
        var minutes = 0
        if consume(UInt8(ascii: ":")) {
            guard let value = digits(2) else { return nil }
            minutes = value
        } else if let value = digits(2) {
            minutes = value
        }
        guard minutes < 60 else { return nil }
        return sign * (hours * 60 + minutes)
    }
}
