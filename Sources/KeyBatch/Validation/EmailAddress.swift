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
    ///
    /// One pass after the trim, each byte's class looked up in `byteClasses` (built from the
    /// predicates below, so the rule is written once): the local part up to the first `@`, then
    /// the domain label by label. A second `@` fails the domain's check.
    static func judge(_ bytes: UnsafeBufferPointer<UInt8>) -> Normal? {
        var start = 0
        var end = bytes.count
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        let length = end - start
        guard length >= 3, length <= 254, bytes[start] != UInt8(ascii: ".") else { return nil }
        return byteClasses.withUnsafeBufferPointer { classes -> Normal? in
            var seen: UInt8 = 0
            var index = start
            var previousWasDot = false
            while true {
                guard index < end else { return nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: "@") { break }
                let byteClass = classes[Int(byte)]
                if byte == UInt8(ascii: ".") {
                    if previousWasDot { return nil }
                    previousWasDot = true
                } else {
                    guard byteClass & ByteClass.local != 0 else { return nil }
                    previousWasDot = false
                }
                seen |= byteClass
                index += 1
            }
            let atIndex = index
            guard atIndex > start, atIndex - start <= 64, atIndex < end - 1, !previousWasDot else { return nil }

            var labelStart = atIndex + 1
            var labels = 1
            var labelIsLetters = true
            index = labelStart
            while index < end {
                let byte = bytes[index]
                let byteClass = classes[Int(byte)]
                if byte == UInt8(ascii: ".") {
                    guard isValidLabel(bytes, from: labelStart, to: index) else { return nil }
                    labels += 1
                    labelStart = index + 1
                    labelIsLetters = true
                } else {
                    guard byteClass & ByteClass.domain != 0 else { return nil }
                    if byteClass & ByteClass.letter == 0 { labelIsLetters = false }
                    seen |= byteClass
                }
                index += 1
            }
            // The top-level domain: letters only, at least two.
            guard labels >= 2, isValidLabel(bytes, from: labelStart, to: end), end - labelStart >= 2, labelIsLetters else { return nil }
            return Normal(bytes: UnsafeBufferPointer(rebasing: bytes[start..<end]), hasUpper: seen & ByteClass.upper != 0)
        }
    }

    /// A domain label's length and ends: 1 to 63 bytes, no hyphen first or last.
    private static func isValidLabel(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        let length = end - start
        return length >= 1 && length <= 63 && bytes[start] != UInt8(ascii: "-") && bytes[end - 1] != UInt8(ascii: "-")
    }

    /// Bits of `byteClasses`.
    private enum ByteClass {
        /// May stand in a local part besides dots: a letter, a digit or one of the symbols.
        static let local: UInt8 = 1
        /// May stand in a domain label: a letter, a digit or a hyphen.
        static let domain: UInt8 = 2
        static let letter: UInt8 = 4
        /// A capital, which the normal form lower-cases.
        static let upper: UInt8 = 8
    }

    /// Each byte value's `ByteClass` bits, from the predicates below.
    private static let byteClasses: [UInt8] = (0...255).map { (value: Int) -> UInt8 in
        let byte = UInt8(value)
        var bits: UInt8 = 0
        if isAlphanumeric(byte) || isLocalPartSymbol(byte) { bits |= ByteClass.local }
        if isAlphanumeric(byte) || byte == UInt8(ascii: "-") { bits |= ByteClass.domain }
        if isLetter(byte) { bits |= ByteClass.letter }
        if byte >= 65 && byte <= 90 { bits |= ByteClass.upper }
        return bits
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
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

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= 48 && byte <= 57)
    }
}
