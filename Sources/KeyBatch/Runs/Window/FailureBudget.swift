/// `--max-failures`: how many failed rows a run tolerates before it stops sending more.
///
/// A count (`50`) is absolute. A percentage (`5%`) is of the rows finished so far, and is only
/// judged once `minimumSample` rows have finished, so one early failure cannot abort a large run.
public enum FailureBudget: Sendable, Equatable {
    case count(Int)
    case percent(Double)

    public static let minimumSample = 20

    /// Parses `N` or `N%`.
    public init?(_ text: String) {
        let trimmed = text.trimmingBlanks()
        if trimmed.hasSuffix("%") {
            guard let value = Double(trimmed.dropLast()), value >= 0, value <= 100 else { return nil }
            self = .percent(value)
        } else {
            guard let value = Int(trimmed), value >= 0 else { return nil }
            self = .count(value)
        }
    }

    public func isExceeded(failed: Int, finished: Int) -> Bool {
        switch self {
        case .count(let limit):
            return failed > limit
        case .percent(let limit):
            guard finished >= Self.minimumSample else { return false }
            return Double(failed) * 100 > limit * Double(finished)
        }
    }
}
