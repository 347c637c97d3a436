import Foundation

/// Formats and parses the ISO 8601 UTC timestamps Seam uses (`2024-11-01T15:00:00.000Z`).
///
/// Request and response models keep timestamps as `String` so that a value Seam sends in a
/// slightly different shape never fails decoding; callers convert at the edge with these helpers.
public enum SeamTimestamp {
    /// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, the form Seam's own examples use.
    public static func string(from date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// Parses an ISO 8601 timestamp with or without fractional seconds; nil when it is neither.
    public static func date(from string: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(string) {
            return date
        }
        return try? Date.ISO8601FormatStyle().parse(string)
    }
}
