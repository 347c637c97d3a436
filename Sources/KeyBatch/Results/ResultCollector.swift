/// Receives finished rows in any order and writes them in input order, counting as it goes.
final class ResultCollector {
    private let writer: ResultsWriter
    private var reorder = ReorderBuffer<(sequence: Int, row: ResultRow)>()
    /// Slots of work that has no results row (a guest's site whose stays the file no longer holds).
    private var silent: Set<Int> = []
    /// Silent work that failed or is still pending: it has no row, so the summary names it.
    private(set) var silentProblems: [ResultRow] = []
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

    /// Numbers a slot whose row is never written (its place in the order is kept).
    func takeSilentSequence() -> Int {
        let sequence = takeSequence()
        silent.insert(sequence)
        return sequence
    }

    func isSilent(_ sequence: Int) -> Bool { silent.contains(sequence) }

    func deliver(_ row: ResultRow, at sequence: Int) throws {
        reorder.insert((sequence, row), at: sequence)
        for (ready, row) in reorder.drain() {
            guard silent.remove(ready) == nil else {
                if row.status == .failed || row.status == .pending { silentProblems.append(row) }
                continue
            }
            summary.record(row)
            problems?.record(row)
            try writer.write(row)
        }
    }

    func flush() throws { try writer.flush() }

    func finish() throws {
        problems?.finish()
        try writer.finish()
    }
}
