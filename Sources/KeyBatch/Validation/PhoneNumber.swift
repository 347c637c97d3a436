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

    /// Collects the kept bytes in a stack buffer: one call per row, so no heap array. Takes the
    /// field's bytes as read, for the validator, which has no string for it.
    static func normalise(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumLength) { digits -> String? in
            var count = 0
            for byte in bytes {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"):
                    continue
                default:
                    guard count < maximumLength else { return nil }
                    digits[count] = byte
                    count += 1
                }
            }
            guard count >= 8, digits[0] == UInt8(ascii: "+"), digits[1] != UInt8(ascii: "0") else { return nil }
            for byte in digits[1..<count] where byte < 48 || byte > 57 { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: digits[..<count]), as: UTF8.self)
        }
    }
}
