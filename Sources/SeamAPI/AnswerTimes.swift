/// How long Seam's latest answers took: the last `capacity` answered calls, for a quantile.
///
/// What it is for: a create whose connection was cut may still be landing at Seam. Its lookup
/// waits as long as Seam's slow answers take (a high quantile of the recent ones, not the run's
/// worst outlier, nor the request timeout, which at 30 s made a few cut connections stretch a
/// whole run), then looks once more before a retry could make a second one.
public struct AnswerTimes: Sendable, Equatable {
    public static let capacity = 256
    private var seconds: [Double] = []
    private var next = 0

    public init() {}

    public var count: Int { seconds.count }

    mutating func record(_ value: Double) {
        guard value.isFinite, value >= 0 else { return }
        if seconds.count < Self.capacity {
            seconds.append(value)
        } else {
            seconds[next] = value
        }
        next = (next + 1) % Self.capacity
    }

    /// The `q` quantile (0...1) of the recorded answers, nil before any.
    public func quantile(_ q: Double) -> Double? {
        guard !seconds.isEmpty else { return nil }
        let sorted = seconds.sorted()
        let index = min(sorted.count - 1, max(0, Int((Double(sorted.count) * q).rounded(.up)) - 1))
        return sorted[index]
    }
}
