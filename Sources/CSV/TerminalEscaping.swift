/// What a terminal must not be sent raw from a file's fields: C0 control characters (ESC starts
/// the sequences that clear the screen or retitle the window; a lone CR overwrites a line), DEL,
/// C1 controls (U+009B is a one-character escape sequence on many terminals) and the bidirectional
/// overrides and isolates that reorder what follows. Each is shown as `\u{1B}`, the form the log
/// lines use. Tabs, newlines and a CR that ends a line (before LF) are kept: they only lay out text.
///
/// Byte-level, for output written to a terminal a buffer at a time; a CSV writer's buffer never
/// splits a line's CRLF or a character's UTF-8 bytes (both are appended whole).
public enum TerminalEscaping {
    public static func escaped(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + bytes.count / 8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            // C1 controls are U+0080...U+009F: C2 80...C2 9F in UTF-8.
            if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                append(scalar: UInt32(bytes[index + 1]), to: &result)
                index += 2
                continue
            }
            // U+202A...U+202E are E2 80 AA...AE; U+2066...U+2069 are E2 81 A6...A9.
            if byte == 0xE2, index + 2 < bytes.count {
                let second = bytes[index + 1], third = bytes[index + 2]
                if (second == 0x80 && (0xAA...0xAE).contains(third)) || (second == 0x81 && (0xA6...0xA9).contains(third)) {
                    append(scalar: 0x2000 + UInt32(second & 0x3F) << 6 + UInt32(third & 0x3F), to: &result)
                    index += 3
                    continue
                }
            }
            let endsLine = byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A
            if (byte < 0x20 && byte != 0x09 && byte != 0x0A && !endsLine) || byte == 0x7F {
                append(scalar: UInt32(byte), to: &result)
            } else {
                result.append(byte)
            }
            index += 1
        }
        return result
    }

    private static func append(scalar: UInt32, to result: inout [UInt8]) {
        result.append(contentsOf: Array("\\u{\(String(scalar, radix: 16, uppercase: true))}".utf8))
    }
}
