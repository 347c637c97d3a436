import Foundation

/// Parses the `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds or an HTTP date.
///
/// Seam does not document the header, but proxies in front of it may send either form, and the
/// JS SDK honours both, so we do too.
public enum RetryAfter {
    /// Longest pause we accept from a header, so a bogus far-future date cannot stall a batch.
    public static let maximumSeconds: TimeInterval = 300

    /// Seconds to wait from `now`, clamped to `0...maximumSeconds`; nil when the header is unparseable.
    public static func seconds(from header: String?, now: Date) -> TimeInterval? {
        guard let value = header?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite {
            return clamp(seconds)
        }
        for format in httpDateFormats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: value) {
                return clamp(date.timeIntervalSince(now))
            }
        }
        return nil
    }

    /// IMF-fixdate, then the obsolete RFC 850 and asctime forms recipients must still accept.
    private static let httpDateFormats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",
        "EEEE, dd-MMM-yy HH:mm:ss zzz",
        "EEE MMM d HH:mm:ss yyyy",
    ]

    private static func clamp(_ seconds: TimeInterval) -> TimeInterval {
        min(max(seconds, 0), maximumSeconds)
    }
}
