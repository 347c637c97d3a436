/// SHA-256 (FIPS 180-4, section 6.2), streaming, with a lowercase hex result.
///
/// Written by hand on purpose. Its only use is `FileDigest`: an informational digest of the input
/// file recorded per run, so an operator can tell which export a run read and compare it with
/// `sha256sum`. Pulling in swift-crypto for that one function would add a whole BoringSSL build
/// (minutes of a cold build on a 2-core machine). Nothing security-relevant depends on this type:
/// no keys, signatures, MACs or secrets go through it, so it does not need constant-time code or a
/// vetted implementation, only a correct one (the tests pin it to the NIST vectors and to
/// `sha256sum`).
///
/// Usage: `update` any number of times with consecutive pieces of the message, then call
/// `finalizeHex()` once. Finalizing resets the hasher to its initial state.
struct SHA256: Sendable {
    // Working state H(i), section 5.3.3 initial values.
    private var h0: UInt32 = 0x6a09_e667
    private var h1: UInt32 = 0xbb67_ae85
    private var h2: UInt32 = 0x3c6e_f372
    private var h3: UInt32 = 0xa54f_f53a
    private var h4: UInt32 = 0x510e_527f
    private var h5: UInt32 = 0x9b05_688c
    private var h6: UInt32 = 0x1f83_d9ab
    private var h7: UInt32 = 0x5be0_cd19

    /// Bytes of an incomplete block carried over between `update` calls; only the first
    /// `pendingCount` are meaningful. Always 64 bytes long, never appended to.
    private var pending = [UInt8](repeating: 0, count: SHA256.blockSize)
    private var pendingCount = 0
    /// Message length so far in bytes (the padding records it in bits, modulo 2^64).
    private var byteCount: UInt64 = 0

    private static let blockSize = 64

    init() {}

    /// Feeds the next piece of the message.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        byteCount &+= UInt64(bytes.count)
        var offset = 0

        // Top up a partial block first.
        if pendingCount > 0 {
            let take = min(Self.blockSize - pendingCount, bytes.count)
            let start = pendingCount
            pending.withUnsafeMutableBytes { destination in
                (destination.baseAddress! + start).copyMemory(from: base, byteCount: take)
            }
            pendingCount += take
            offset = take
            guard pendingCount == Self.blockSize else { return }
            let block = pending
            block.withUnsafeBytes { compress($0.baseAddress!, blocks: 1) }
            pendingCount = 0
        }

        // Whole blocks straight from the caller's buffer.
        let wholeBlocks = (bytes.count - offset) / Self.blockSize
        if wholeBlocks > 0 {
            compress(base + offset, blocks: wholeBlocks)
            offset += wholeBlocks * Self.blockSize
        }

        // Keep the tail for next time.
        let rest = bytes.count - offset
        if rest > 0 {
            pending.withUnsafeMutableBytes { destination in
                destination.baseAddress!.copyMemory(from: base + offset, byteCount: rest)
            }
            pendingCount = rest
        }
    }

    /// Feeds the next piece of the message from any byte sequence (`Array`, `Data`, `String.UTF8View`…).
    mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if handled == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// Pads the message (section 5.1.1), returns its digest as 64 lowercase hex characters and
    /// resets the hasher.
    mutating func finalizeHex() -> String {
        let bitLength = byteCount &* 8
        // 0x80, then zeros up to 56 mod 64, then the 64-bit big-endian bit length.
        let zeros = (Self.blockSize + 55 - pendingCount) % Self.blockSize
        var padding = [UInt8](repeating: 0, count: 1 + zeros + 8)
        padding[0] = 0x80
        for index in 0..<8 {
            padding[1 + zeros + index] = UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * UInt64(index)))
        }
        padding.withUnsafeBytes { update($0) }
        precondition(pendingCount == 0, "SHA256 padding must end on a block boundary")

        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for word in [h0, h1, h2, h3, h4, h5, h6, h7] {
            for shift in stride(from: 28, through: 0, by: -4) {
                hex.append(digits[Int((word >> UInt32(shift)) & 0xf)])
            }
        }
        self = SHA256()
        return String(decoding: hex, as: UTF8.self)
    }

    /// Runs the compression function (section 6.2.2) over `blocks` consecutive 64-byte blocks.
    private mutating func compress(_ base: UnsafeRawPointer, blocks: Int) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            Self.k.withUnsafeBufferPointer { k in
                var block = base
                for _ in 0..<blocks {
                    // Message schedule W0...W63.
                    for t in 0..<16 {
                        w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t &* 4, as: UInt32.self))
                    }
                    for t in 16..<64 {
                        let x = w[t &- 15], y = w[t &- 2]
                        let sigma0 = Self.rotr(x, 7) ^ Self.rotr(x, 18) ^ (x &>> 3)
                        let sigma1 = Self.rotr(y, 17) ^ Self.rotr(y, 19) ^ (y &>> 10)
                        w[t] = w[t &- 16] &+ sigma0 &+ w[t &- 7] &+ sigma1
                    }

                    var a = h0, b = h1, c = h2, d = h3
                    var e = h4, f = h5, g = h6, h = h7
                    for t in 0..<64 {
                        let bigSigma1 = Self.rotr(e, 6) ^ Self.rotr(e, 11) ^ Self.rotr(e, 25)
                        let choose = (e & f) ^ (~e & g)
                        let t1 = h &+ bigSigma1 &+ choose &+ k[t] &+ w[t]
                        let bigSigma0 = Self.rotr(a, 2) ^ Self.rotr(a, 13) ^ Self.rotr(a, 22)
                        let majority = (a & b) ^ (a & c) ^ (b & c)
                        let t2 = bigSigma0 &+ majority
                        h = g
                        g = f
                        f = e
                        e = d &+ t1
                        d = c
                        c = b
                        b = a
                        a = t1 &+ t2
                    }
                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
                    h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h

                    block += Self.blockSize
                }
            }
        }
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x &>> n) | (x &<< (32 &- n))
    }

    /// K0...K63 (section 4.2.2): the first 32 bits of the fractional parts of the cube roots of
    /// the first 64 primes.
    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}
