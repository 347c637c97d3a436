import CSV
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A set of short byte strings (reservation ids, listing ids), looked up by their UTF-8 bytes.
///
/// `validate` checks every row's reservation id against all the ids before it, a million of
/// them in a big file. A `Set<String>` made a string per row and hashed it with SipHash, and its
/// 16-byte slots made the table twice as large as needed (34 bytes a row, more cache misses).
/// Here the ids are kept end to end in one byte array, and the table holds one 8-byte slot per
/// id: the id's place in that array, its length and 16 bits of its hash, so a lookup reads the
/// id's bytes only when length and bits match (almost only for a duplicate). The length lives in
/// the slot rather than before the bytes, which spares a byte per id (1 MB of the peak memory at
/// a million rows, what `validate`'s reading thread costs); only an id of 255 bytes or more has
/// its length (4 bytes) before its bytes.
/// Linear probing, at most half full. The hash is seeded per process, as `Hasher` is, so a file
/// cannot be made to collide on purpose.
///
/// Ids compare as Swift strings do, by canonical equivalence (`"e\u{301}" == "é"`, and the
/// Kelvin sign equals `K`), as the `Set<String>` did: ASCII bytes are kept as they are, anything
/// else in its NFC form (a rare id, so the conversion costs nothing that matters).
struct ByteStringSet: Sendable {
    /// Each id's bytes; an id of 255 bytes or more is preceded by its length (4 bytes little-endian).
    private var storage: [UInt8] = []
    /// 0 for an empty slot, else `key << 40 | (offset + 1)`, `offset` being the id's place in
    /// `storage` and `key` 16 bits of its hash then its length (255 for 255 or more: see `storage`).
    private var slots: [UInt64]
    /// Slots in use, which is the number of ids.
    private(set) var count = 0
    private static let offsetBits: UInt64 = 40
    private static let offsetMask: UInt64 = (1 << offsetBits) - 1
    private static let longLength = 255
    private static let seed = UInt64.random(in: .min ... .max)

    init(minimumCapacity: Int = 0) {
        slots = Array(repeating: 0, count: Self.slotCount(for: minimumCapacity))
    }

    /// Room for about `count` ids without growing the table.
    mutating func reserveCapacity(_ count: Int) {
        let wanted = Self.slotCount(for: count)
        if wanted > slots.count { rehash(slotCount: wanted) }
        storage.reserveCapacity(count * 12)
    }

    /// Adds `bytes`; returns false when they (or a canonically equivalent string) were already in the set.
    /// - Parameter hash: `hash(bytes)` when the caller has it already (worked out on another
    ///   thread, `RowPreview`), which it may pass only for ASCII bytes.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64? = nil) -> Bool {
        if let hash { return insertCanonical(bytes, hash: hash) }
        guard WordwiseScan.isASCII(bytes) else {
            var canonical = Self.canonical(bytes)
            return canonical.withUTF8 { insertCanonical($0, hash: Self.hash($0)) }
        }
        return insertCanonical(bytes, hash: Self.hash(bytes))
    }

    private mutating func insertCanonical(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
        let found = find(bytes, hash: hash)
        guard found.slot == nil else { return false }
        if 2 * (count + 1) > slots.count {
            rehash(slotCount: 2 * slots.count)
            return insertCanonical(bytes, hash: hash)
        }
        let offset = UInt64(storage.count)
        if bytes.count >= Self.longLength {
            for shift in stride(from: 0, to: 32, by: 8) { storage.append(UInt8(truncatingIfNeeded: bytes.count >> shift)) }
        }
        storage.append(contentsOf: bytes)
        slots[found.empty] = Self.key(hash, length: bytes.count) << Self.offsetBits | (offset + 1)
        count += 1
        return true
    }

    func contains(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard WordwiseScan.isASCII(bytes) else {
            var canonical = Self.canonical(bytes)
            return canonical.withUTF8 { find($0, hash: Self.hash($0)).slot != nil }
        }
        return find(bytes, hash: Self.hash(bytes)).slot != nil
    }

    /// Starts loading the slot where a lookup of the id of hash `hash` begins, for a caller that
    /// knows which id it will look up a few steps from now (see `CachePrefetch`).
    func prefetchSlot(hash: UInt64) {
        let index = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        slots.withUnsafeBufferPointer { CachePrefetch.forWriting($0.baseAddress! + index) }
    }

    /// The NFC form of a non-ASCII id: canonically equivalent strings have the same one.
    private static func canonical(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self).precomposedStringWithCanonicalMapping
    }

    /// Every id, as strings (for `--sync`, once per run).
    var strings: Set<String> {
        var strings = Set<String>(minimumCapacity: count)
        storage.withUnsafeBufferPointer { storage in
            for slot in slots where slot != 0 {
                strings.insert(String(decoding: UnsafeBufferPointer(rebasing: storage[Self.stored(slot, in: storage)]), as: UTF8.self))
            }
        }
        return strings
    }

    /// The slot holding `bytes`, or nil and the empty slot where they would go.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (slot: Int?, empty: Int) {
        let key = Self.key(hash, length: bytes.count)
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let slot = slots[index]
                if slot == 0 { return (nil, index) }
                if slot >> Self.offsetBits == key, storedBytes(of: slot, equal: bytes) { return (index, index) }
                index = (index + 1) & mask
            }
        }
    }

    private func storedBytes(of slot: UInt64, equal bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        storage.withUnsafeBufferPointer { storage in
            let stored = Self.stored(slot, in: storage)
            return stored.count == bytes.count && (bytes.isEmpty || memcmp(storage.baseAddress! + stored.lowerBound, bytes.baseAddress!, bytes.count) == 0)
        }
    }

    /// Where the bytes lie in `storage` of the id in `slot`.
    private static func stored(_ slot: UInt64, in storage: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = Int(slot & offsetMask) - 1
        var length = Int((slot >> offsetBits) & 0xFF)
        if length == longLength {
            length = 0
            for index in 0..<4 { length |= Int(storage[start + index]) << (8 * index) }
            start += 4
        }
        return start..<(start + length)
    }

    private mutating func rehash(slotCount: Int) {
        var grown = [UInt64](repeating: 0, count: slotCount)
        let mask = slotCount - 1
        storage.withUnsafeBufferPointer { storage in
            for slot in slots where slot != 0 {
                let id = Self.stored(slot, in: storage)
                var index = Int(truncatingIfNeeded: Self.hash(UnsafeBufferPointer(rebasing: storage[id]))) & mask
                while grown[index] != 0 { index = (index + 1) & mask }
                grown[index] = slot
            }
        }
        slots = grown
    }

    /// The smallest power of two at least twice `count` (and at least 16).
    private static func slotCount(for count: Int) -> Int {
        var slots = 16
        while slots < 2 * count { slots *= 2 }
        return slots
    }

    /// A slot's top 24 bits: 16 bits of the hash (not those the slot's index comes from), then
    /// the length, or 255 for 255 or more.
    private static func key(_ hash: UInt64, length: Int) -> UInt64 {
        (hash >> 48) << 8 | UInt64(min(length, longLength))
    }

    /// A seeded multiply-xorshift hash over 8-byte words: a few cycles for a 10-byte id.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        var hash = seed ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= raw.count {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < raw.count {
            var word: UInt64 = 0
            for index in offset..<raw.count { word |= UInt64(raw[index]) << (8 * UInt64(index - offset)) }
            hash = mix(hash ^ word)
        }
        return mix(hash)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var value = value
        value ^= value >> 30
        value &*= 0xBF58_476D_1CE4_E5B9
        value ^= value >> 27
        value &*= 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        return value
    }
}
