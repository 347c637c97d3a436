/// E.164 phone numbers, the only form Seam accepts for `phone_number`.
///
/// Spaces, dots, dashes and parentheses that people type for readability are removed first;
/// what remains must be `+`, a non-zero country digit and 7 to 15 digits in all.
public enum PhoneNumber {
    public static func normalise(_ raw: String) -> String? {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"):
                continue
            default:
                digits.append(byte)
            }
        }
        guard digits.count >= 8, digits.count <= 16, digits[0] == UInt8(ascii: "+"), digits[1] != UInt8(ascii: "0") else { return nil }
        for byte in digits.dropFirst() where byte < 48 || byte > 57 { return nil }
        return String(decoding: digits, as: UTF8.self)
    }
}
