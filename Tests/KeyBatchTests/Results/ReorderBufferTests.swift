import Testing
@testable import KeyBatch

@Suite struct ReorderBufferTests {
    @Test func releasesInInputOrderWhateverTheFinishingOrder() {
        var buffer = ReorderBuffer<String>()
        var released: [String] = []
        for (sequence, value) in [(2, "c"), (0, "a"), (3, "d"), (1, "b"), (5, "f"), (4, "e")] {
            buffer.insert(value, at: sequence)
            released += buffer.drain()
        }
        #expect(released == ["a", "b", "c", "d", "e", "f"])
        #expect(buffer.count == 0)
    }

    @Test func holdsBackRowsBehindAnUnfinishedOne() {
        var buffer = ReorderBuffer<Int>()
        for sequence in 1...5 { buffer.insert(sequence, at: sequence) }
        #expect(buffer.drain().isEmpty)
        #expect(buffer.count == 5)
        buffer.insert(0, at: 0)
        #expect(buffer.drain() == [0, 1, 2, 3, 4, 5])
    }
}
