import Testing
@testable import KeyBatch

/// The set of reservation ids seen, kept as bytes: a duplicate is found whatever the table's size.
@Suite struct ByteStringSetTests {
    private func insert(_ set: inout ByteStringSet, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { set.insert($0) }
    }

    private func contains(_ set: ByteStringSet, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { set.contains($0) }
    }

    @Test func findsEveryIdAgainAcrossGrowthAndLongIds() {
        var set = ByteStringSet()
        let ids = (0..<5_000).map { "HM\($0)" } + ["", "a", String(repeating: "x", count: 254), String(repeating: "x", count: 255),
                                                   String(repeating: "y", count: 70_000), "Ré-1", "R-🚀"]
        for id in ids { #expect(insert(&set, id), "\(id.prefix(20)) is new") }
        for id in ids { #expect(!insert(&set, id), "\(id.prefix(20)) was seen") }
        for id in ids { #expect(contains(set, id)) }
        #expect(!contains(set, "HM5000"))
        #expect(!contains(set, String(repeating: "x", count: 256)))
        #expect(!contains(set, "hm1"))
        #expect(set.count == ids.count)
        #expect(set.strings == Set(ids))
    }

    /// The length is kept in the slot (255 meaning "longer, see the bytes"), so ids that differ
    /// only in length, long or short, are told apart, and long ones read back whole.
    @Test func idsThatDifferOnlyInLengthAreDifferentIds() {
        var set = ByteStringSet()
        let lengths = [0, 1, 2, 8, 9, 254, 255, 256, 300, 301, 65_536]
        for length in lengths { #expect(insert(&set, String(repeating: "z", count: length)), "\(length) z's are new") }
        for length in lengths { #expect(!insert(&set, String(repeating: "z", count: length)), "\(length) z's were seen") }
        #expect(!contains(set, String(repeating: "z", count: 302)))
        #expect(!contains(set, String(repeating: "z", count: 253)))
        #expect(set.strings == Set(lengths.map { String(repeating: "z", count: $0) }))
    }

    @Test func reservingCapacityKeepsWhatIsThere() {
        var set = ByteStringSet()
        #expect(insert(&set, "R-1"))
        set.reserveCapacity(100_000)
        #expect(!insert(&set, "R-1"))
        #expect(insert(&set, "R-2"))
        #expect(set.strings == ["R-1", "R-2"])
    }

    /// The `Set<String>` it replaces found duplicates by canonical equivalence, so it does too.
    @Test func canonicallyEquivalentIdsAreTheSameId() {
        var set = ByteStringSet()
        #expect(insert(&set, "R-\u{E9}"))
        #expect(!insert(&set, "R-e\u{301}"))
        #expect(insert(&set, "R-K"))
        #expect(!insert(&set, "R-\u{212A}"))
        #expect(contains(set, "R-\u{212A}") && contains(set, "R-e\u{301}"))
        #expect(!contains(set, "R-k"))
        #expect(set.strings == ["R-\u{E9}", "R-K"])
    }
}
