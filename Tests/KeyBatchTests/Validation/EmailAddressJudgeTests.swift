import Testing
@testable import KeyBatch

/// `EmailAddress.judge` is a one-pass, table-driven form of the rule; it must accept exactly what
/// the straightforward form it replaced accepted (kept here, as it was, as the reference), with
/// the same trimmed slice and the same capitals flag, or `validate`'s verdicts would change.
@Suite struct EmailAddressJudgeTests {
    /// The rule as it was written before the one-pass form, per check in its own loop.
    enum Reference {
        static func judge(_ bytes: UnsafeBufferPointer<UInt8>) -> (count: Int, hasUpper: Bool)? {
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
            return (end - start, hasUpper)
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

    /// Bytes the rule treats apart: every class boundary, the blanks, non-ASCII.
    static let alphabet: [UInt8] = Array("aZz09.@-_+!~`{|}\"(),;: \tA.@-.x@y".utf8) + [0x7F, 0xC3, 0xA9, 0x00, 0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B]

    @Test func agreesWithTheReferenceOnGeneratedAddresses() {
        var generator = SystemRandomNumberGenerator()
        var cases: [[UInt8]] = []
        let base = Array("ab.c@d-e.fg".utf8)
        // Every one- and two-byte edit of a valid address.
        for place in 0...base.count {
            for byte in Self.alphabet {
                var inserted = base; inserted.insert(byte, at: place); cases.append(inserted)
                if place < base.count { var replaced = base; replaced[place] = byte; cases.append(replaced) }
            }
        }
        // Random strings from the alphabet, mostly shaped like addresses, around the length limits.
        for _ in 0..<60_000 {
            let length = Int.random(in: 0...70, using: &generator)
            var bytes = (0..<length).map { _ in Bool.random(using: &generator) ? UInt8(ascii: "a") : Self.alphabet.randomElement(using: &generator)! }
            if Bool.random(using: &generator), length > 2 { bytes[Int.random(in: 0..<length, using: &generator)] = UInt8(ascii: "@") }
            cases.append(bytes)
        }
        for local in [63, 64, 65] {
            for label in [62, 63, 64] {
                for total in [253, 254, 255] {
                    var bytes = Array(repeating: UInt8(ascii: "l"), count: local) + [UInt8(ascii: "@")] + Array(repeating: UInt8(ascii: "d"), count: label)
                    while bytes.count < total - 3 { bytes += Array(".ab".utf8) }
                    bytes += Array(".com".utf8)
                    cases.append(bytes)
                    cases.append(Array(repeating: UInt8(ascii: "l"), count: local) + Array("@".utf8) + Array(repeating: UInt8(ascii: "d"), count: label) + Array(".Co".utf8))
                }
            }
        }
        var accepted = 0
        for bytes in cases {
            bytes.withUnsafeBufferPointer { buffer in
                let judged = EmailAddress.judge(buffer)
                let reference = Reference.judge(buffer)
                #expect(judged?.bytes.count == reference?.count, "\(bytes)")
                #expect(judged?.hasUpper == reference?.hasUpper, "\(bytes)")
                if let judged {
                    var start = 0
                    while buffer[start] == 0x20 || buffer[start] == 0x09 { start += 1 }
                    #expect(judged.bytes.baseAddress == buffer.baseAddress! + start)
                    accepted += 1
                }
            }
        }
        #expect(accepted > 200)
    }
}
