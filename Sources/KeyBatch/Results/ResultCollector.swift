/// Receives finished rows in any order and writes them in input order, counting as it goes.
final class ResultCollector {
    private let writer: ResultsWriter
    private var reorder = ReorderBuffer<ResultRow>()
    private(set) var summary = RunSummary()
    private(set) var nextSequence = 0
    /// Logs the rows that did not make it, in the order they are written.
    private var problems: RowProblemLog?

    init(writer: ResultsWriter, problems: RowProblemLog? = nil) {
        self.writer = writer
        self.problems = problems
    }

    /// Finished rows held back behind an unfinished earlier one.
    var heldBack: Int { reorder.count }

    /// Numbers the next input row.
    func takeSequence() -> Int {
        defer { nextSequence += 1 }
        return nextSequence
    }

    func deliver(_ row: ResultRow, at sequence: Int) throws {
        reorder.insert(row, at: sequence)
        for ready in reorder.drain() {
            summary.record(ready)
            problems?.record(ready)
            try writer.write(ready)
        }
    }

    func flush() throws { try writer.flush() }

    func finish() throws {
        problems?.finish()
        try writer.finish()
    }
}
