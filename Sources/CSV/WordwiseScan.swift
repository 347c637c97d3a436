/// Whether some byte of a buffer is of a kind, looked for eight bytes at a time: the hot checks
/// of every field (the results writer's quoting, the validator's control characters) share this
/// loop and give only their tests, one for a word and one for a byte.
///
/// Words are read unaligned; a buffer of 8 bytes or more ends with the word of its last 8,
/// overlapping the one before (a byte seen twice changes nothing, and most fields' lengths are
/// not a multiple of 8); a shorter one is looked at byte by byte. `@inlinable`, so each caller's
/// tests are inlined into the loop as if written there.
public enum WordwiseScan {
    /// `0x01` in every byte of a word.
    public static let ones: UInt64 = 0x0101_0101_0101_0101
    /// The high bit of every byte of a word.
    public static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// True when `word` says one of its 8 bytes is of the kind, or `byte` says one byte of a short
    /// buffer is. A word test may say true for a word without such a byte (a caller's next rule
    /// then decides), never false for one with it.
    @inlinable
    public static func contains(_ bytes: UnsafeBufferPointer<UInt8>, word: (UInt64) -> Bool, byte: (UInt8) -> Bool) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 8 <= raw.count {
            if word(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) { return true }
            offset += 8
        }
        if offset < raw.count, raw.count >= 8 {
            return word(raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self))
        }
        while offset < raw.count {
            if byte(raw[offset]) { return true }
            offset += 1
        }
        return false
    }

    /// True when no byte of `bytes` is 0x80 or above: the one ASCII check of the reader (every
    /// field) and of the id sets (every id), 8 bytes at a time.
    @inlinable
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !contains(bytes) { word in word & highBits != 0 } byte: { byte in byte >= 0x80 }
    }
}
