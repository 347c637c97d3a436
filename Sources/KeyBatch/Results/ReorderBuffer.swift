/// Puts results that finish out of order back into input order.
///
/// Rows are numbered as they are read; a finished row waits here until every row before it has
/// finished, then leaves with them. The runner stops reading ahead when the buffer is full, which
/// keeps memory bounded by the concurrency window, not by the file.
public struct ReorderBuffer<Element> {
    private var waiting: [Int: Element] = [:]
    private var nextToRelease = 0

    public init() {}

    /// How many finished rows are held back by an earlier unfinished one.
    public var count: Int { waiting.count }

    public mutating func insert(_ element: Element, at sequence: Int) {
        precondition(sequence >= nextToRelease && waiting[sequence] == nil, "sequence \(sequence) delivered twice")
        waiting[sequence] = element
    }

    /// Everything now releasable, in order.
    public mutating func drain() -> [Element] {
        var released: [Element] = []
        while let element = waiting.removeValue(forKey: nextToRelease) {
            released.append(element)
            nextToRelease += 1
        }
        return released
    }
}
