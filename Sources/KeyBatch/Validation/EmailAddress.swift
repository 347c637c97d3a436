/// Syntax check and normalisation of guest e-mail addresses.
///
/// Deliberately stricter than RFC 5322 (no quoted local parts, no IP-literal domains): an address
/// a reservation system exports for a guest's phone app is an ordinary mailbox, and anything
/// exotic is far more often a typo than a real address. Seam treats emails case-insensitively,
/// so KeyBatch stores them trimmed and lower-cased.
public enum EmailAddress {
    /// The normalised address, or nil when the syntax is not that of a mailbox.
    public static func normalise(_ raw: String) -> String? {
        func normalised(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            guard let normal = judge(bytes) else { return nil }
            return normal.isAsRead(bytes) ? raw : normal.string
        }
        return raw.utf8.withContiguousStorageIfAvailable(normalised) ?? Array(raw.utf8).withUnsafeBufferPointer(normalised)
    }

    /// The normalised address from its UTF-8 bytes, or nil (for callers that hold bytes, not a string).
    static func normalise(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        judge(bytes)?.string
    }

    /// A well-formed address as a slice of the bytes it was read from: the address without the
    /// blanks around it, and whether it holds capitals that its normal form lower-cases. So the
    /// check builds no string, and `validate` writes most normal forms from the slice.
    struct Normal {
        /// The address, trimmed, before lower-casing.
        let bytes: UnsafeBufferPointer<UInt8>
        let hasUpper: Bool

        /// The normal form as a string.
        var string: String {
            guard hasUpper else { return String(decoding: bytes, as: UTF8.self) }
            return String(decoding: bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }

        /// The normal form's bytes when they are the slice itself (no capitals to lower), else nil
        /// (then `string`): a writer takes most addresses from the bytes read, without a string.
        var bytesIfUnchanged: UnsafeBufferPointer<UInt8>? {
            hasUpper ? nil : bytes
        }

        /// The normal form is the whole of `read`, unchanged.
        func isAsRead(_ read: UnsafeBufferPointer<UInt8>) -> Bool {
            !hasUpper && bytes.count == read.count
        }
    }

    /// Judges an address's UTF-8 bytes in place (every row's email comes through here): nil when
    /// the syntax is not that of a mailbox, else where its normal form lies in `bytes`.
    static func judge(_ bytes: UnsafeBufferPointer<UInt8>) -> Normal? {
        var start = 0
        var end = bytes.count
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        let length = end - start
        guard length >= 3, length <= 254 else { return nil }

        var atIndex = -1
        for index in start..<end where bytes[index] == UInt8(ascii: "@") {
            guard atIndex < 0 else { return nil }
            atIndex = index
        }
        guard atIndex > start, atIndex - start <= 64, atIndex < end - 1 else { return nil }
        guard isValidLocalPart(bytes, from: start, to: atIndex),
              isValidDomain(bytes, from: atIndex + 1, to: end)
        else { return nil }

        var hasUpper = false
        for index in start..<end where bytes[index] >= 65 && bytes[index] <= 90 { hasUpper = true; break }
        return Normal(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end]), hasUpper: hasUpper)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func isValidLocalPart(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        guard bytes[start] != UInt8(ascii: "."), bytes[end - 1] != UInt8(ascii: ".") else { return false }
        var previousWasDot = false
        for index in start..<end {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                if previousWasDot { return false }
                previousWasDot = true
                continue
            }
            previousWasDot = false
            guard isAlphanumeric(byte) || isLocalPartSymbol(byte) else { return false }
        }
        return true
    }

    /// One of ``!#$%&'*+/=?^_`{|}~-``, the symbols a mailbox name may hold besides dots.
    private static func isLocalPartSymbol(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="),
             UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "{"),
             UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    private static func isValidDomain(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var labelStart = start
        var labels = 0
        var index = start
        while index <= end {
            if index == end || bytes[index] == UInt8(ascii: ".") {
                let labelLength = index - labelStart
                guard labelLength >= 1, labelLength <= 63,
                      bytes[labelStart] != UInt8(ascii: "-"), bytes[index - 1] != UInt8(ascii: "-")
                else { return false }
                labels += 1
                if index == end {
                    // The top-level domain: letters only, at least two.
                    guard labelLength >= 2 else { return false }
                    for tldIndex in labelStart..<index where !isLetter(bytes[tldIndex]) { return false }
                }
                labelStart = index + 1
            } else if !isAlphanumeric(bytes[index]) && bytes[index] != UInt8(ascii: "-") {
                return false
            }
            index += 1
        }
        return labels >= 2
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 48 && byte <= 57)
    }
}
