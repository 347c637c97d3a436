import Foundation
import Testing
@testable import KeyBatch

/// The hand-written SHA-256 behind `FileDigest`: NIST vectors, block edges, chunking, and agreement
/// with the system `sha256sum`.
@Suite struct SHA256Tests {
    static func digest<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// A fixed byte pattern: byte i is (167 i + 13) mod 256.
    static func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 167 &+ 13) }
    }

    /// FIPS 180-4 / NIST example messages (one block, two blocks, the 448- and 896-bit ones).
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func nistVectors(message: String, expected: String) {
        #expect(Self.digest(message.utf8) == expected)
        #expect(Self.digest(Array(message.utf8)) == expected)
        // A sequence without contiguous storage takes the copying path.
        #expect(Self.digest(AnySequence(message.utf8)) == expected)
    }

    @Test func oneMillionAInUnevenChunks() {
        let a = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let chunkSizes = [1, 63, 64, 65, 7, 1000, 4093, 55, 128, 9]
        var hasher = SHA256()
        var offset = 0
        var turn = 0
        a.withUnsafeBytes { all in
            while offset < all.count {
                let size = min(chunkSizes[turn % chunkSizes.count], all.count - offset)
                hasher.update(UnsafeRawBufferPointer(rebasing: all[offset..<offset + size]))
                offset += size
                turn += 1
            }
        }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length across the first two block boundaries: one update, byte by byte, and two
    /// pieces split at a length-dependent point must all agree.
    @Test func chunkingDoesNotChangeTheDigest() {
        for length in 0...130 {
            let bytes = Self.pattern(length)
            let whole = Self.digest(bytes)
            #expect(whole.count == 64)
            #expect(whole.allSatisfy { "0123456789abcdef".contains($0) })

            var byteByByte = SHA256()
            for byte in bytes { byteByByte.update(CollectionOfOne(byte)) }
            #expect(byteByByte.finalizeHex() == whole, "byte by byte, length \(length)")

            let split = (length &* 37 &+ 11) % (length + 1)
            var twoPieces = SHA256()
            bytes.withUnsafeBytes { raw in
                twoPieces.update(UnsafeRawBufferPointer(rebasing: raw[0..<split]))
                twoPieces.update(UnsafeRawBufferPointer(rebasing: raw[split..<length]))
            }
            #expect(twoPieces.finalizeHex() == whole, "split at \(split), length \(length)")
        }
    }

    /// Lengths around the padding edges, against digests computed with `sha256sum`.
    @Test(arguments: [
        (55, "b2ca0adc388a66d3a5a7f6541239331d5a867eede554e11262241271faaf36c5"),
        (56, "3768eff44f1df02704a832cf708935fbed9bb74d0714fbe75454c266c4e12856"),
        (63, "dc06ea9e456da9f9fc2276564018231c36196ff7745bf505fd7f503aec5c67fd"),
        (64, "b68fe543b0b5a544e32eb08712e697bfcd3a3cb491563c3b1cba112d378f4bdb"),
        (65, "587cdb9ad9be371721f2f84a84eb09f2b698ec19bbe2d7c222179996547a04a6"),
        (119, "b27b61037be684924f5497ee79c784f09c971d8c8c3136f6270e0fd34775aa1b"),
        (120, "00c666e960132985e9c99dc98bf25782df791138d0f1252b69781694ed97d693"),
        (128, "cd77acfc16d0964a4c3ef06f0678a5c88d2d610de00f7b997676fea5b4d2ae9e"),
    ])
    func blockEdges(length: Int, expected: String) {
        #expect(Self.digest(Self.pattern(length)) == expected)
    }

    @Test func finalizingResetsTheHasher() {
        var hasher = SHA256()
        hasher.update("abc".utf8)
        #expect(hasher.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hasher.finalizeHex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    static let sha256sum = "/usr/bin/sha256sum"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: sha256sum), "needs \(sha256sum)"))
    func fileDigestMatchesSha256sum() async throws {
        let directory = try TemporaryDirectory()
        // ~200 KB of pseudo-random bytes (xorshift64, fixed seed); not a multiple of the
        // 64 KiB read buffer nor of the 64-byte block.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8]()
        bytes.reserveCapacity(200_003)
        for _ in 0..<200_003 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes.append(UInt8(truncatingIfNeeded: state >> 24))
        }
        let path = directory.path("random.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let sum = try await ChildProcess.run(Self.sha256sum, [path], stdout: .capture)
        let printed = sum.stdoutText
        #expect(sum.status == 0)
        let expected = String(printed.prefix(64))
        #expect(expected.count == 64)

        #expect(FileDigest.sha256(path: path) == expected)
        #expect(Self.digest(bytes) == expected)
    }

    @Test func fileDigestSkipsStandardInputAndMissingFiles() throws {
        let directory = try TemporaryDirectory()
        #expect(FileDigest.sha256(path: "-") == nil)
        #expect(FileDigest.sha256(path: directory.path("missing.csv")) == nil)
    }
}
