/// E.164 phone numbers, the only form Seam accepts for `phone_number`.
///
/// Spaces, dots, dashes and parentheses that people type for readability are removed first;
/// what remains must be `+`, a non-zero country digit and 7 to 15 digits in all.
public enum PhoneNumber {
    public static func normalise(_ raw: String) -> String? {
        if let normalised = raw.utf8.withContiguousStorageIfAvailable({ normalise(bytes: $0) }) {
            return normalised
        }
        return Array(raw.utf8).withUnsafeBufferPointer { normalise(bytes: $0) }
    }

    /// Longest E.164 number with its `+`.
    private static let maximumLength = 16

    /// The normalised number from its UTF-8 bytes (the validator holds bytes, not a string).
    static func normalise(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        withNormalised(bytes: bytes) { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Whether the bytes are a number `normalise` accepts, without building its string.
    static func isValid(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        withNormalised(bytes: bytes) { $0 != nil }
    }

    /// The rule: lends the normalised number's bytes to `body`, or nil when they are not a
    /// number. Collects the kept bytes in a stack buffer: one call per row, so no heap array.
    private static func withNormalised<R>(bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumLength) { digits -> R in
            var count = 0
            for byte in bytes {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"):
                    continue
                default:
                    guard count < maximumLength else { return body(nil) }
                    digits[count] = byte
                    count += 1
                }
            }
            guard count >= 8, digits[0] == UInt8(ascii: "+"), digits[1] != UInt8(ascii: "0") else { return body(nil) }
            for byte in digits[1..<count] where byte < 48 || byte > 57 { return body(nil) }
            return body(UnsafeBufferPointer(rebasing: digits[..<count]))
        }
    }
}
