#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An instant in UTC with millisecond precision.
///
/// KeyBatch keeps its own small type instead of `Foundation.Date` because it parses and formats
/// millions of these per run, and the arithmetic it needs (compare, subtract, print as ISO 8601
/// `Z`) is a few lines of integer code, faster than Foundation's ISO 8601 APIs (see `TimestampParser`).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Builds the instant from civil UTC fields; the fields must already be in range.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        let days = CivilCalendar.daysFromEpoch(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.millisecondsSinceEpoch = seconds * 1000 + Int64(millisecond)
    }

    /// The current time from the system clock.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(millisecondsSinceEpoch: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + seconds * 1000)
    }

    /// ISO 8601 in UTC, as Seam expects: `2027-11-01T15:00:00Z`, with `.mmm` only when non-zero.
    public var iso8601: String {
        let (seconds, millis) = millisecondsSinceEpoch.floorDivided(by: 1000)
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let date = CivilCalendar.civil(fromDaysSinceEpoch: Int(days))
        var text = ""
        text.reserveCapacity(24)
        text.appendPadded(date.year, width: 4)
        text.append("-")
        text.appendPadded(date.month, width: 2)
        text.append("-")
        text.appendPadded(date.day, width: 2)
        text.append("T")
        text.appendPadded(Int(secondOfDay / 3600), width: 2)
        text.append(":")
        text.appendPadded(Int(secondOfDay % 3600 / 60), width: 2)
        text.append(":")
        text.appendPadded(Int(secondOfDay % 60), width: 2)
        if millis != 0 {
            text.append(".")
            text.appendPadded(Int(millis), width: 3)
        }
        text.append("Z")
        return text
    }

    public var description: String { iso8601 }
}

extension Int64 {
    /// Division rounding towards negative infinity, so times before 1970 format correctly.
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = self / divisor
        var remainder = self % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}

extension String {
    mutating func appendPadded(_ value: Int, width: Int) {
        let digits = String(value)
        if digits.utf8.count < width {
            append(String(repeating: "0", count: width - digits.utf8.count))
        }
        append(digits)
    }
}
