import Synchronization

/// Run-wide counters of Seam traffic, safe to update from every task.
/// Share one instance between the clients of a run and read ``snapshot`` for the summary.
public final class SeamClientStats: Sendable {
    private let counts = Mutex(SeamCallCounts())
    private let times = Mutex(SeamTiming())
    private let readAnswers = Mutex(AnswerTimes())
    private let writeAnswers = Mutex(AnswerTimes())
    /// Attempts in a row that got no answer at all (a silent or unreachable Seam).
    private let unansweredInARow = Mutex(0)

    public init() {}

    public var snapshot: SeamCallCounts { counts.withLock { $0 } }

    /// Where the calls spent their time (kept apart from the counts, which tests compare exactly).
    public var timing: SeamTiming { times.withLock { $0 } }

    /// The latest answered reads' times (transport failures and 429s are not answers; a read
    /// cut short by its faster second copy counts with the time it had taken, a lower bound).
    public var readAnswerTimes: AnswerTimes { readAnswers.withLock { $0 } }
    /// The latest answered writes' times: how long Seam takes to act on a change.
    public var writeAnswerTimes: AnswerTimes { writeAnswers.withLock { $0 } }
    /// Whether the latest attempt got no answer at all.
    public var lastAttemptUnanswered: Bool { unansweredInARow.withLock { $0 } > 0 }

    /// An attempt's time; `answered`: its kind (nil when no answer came, or a 429).
    func recordService(_ seconds: Double, answered operation: SeamOperation?, unanswered: Bool) {
        times.withLock {
            $0.attempts += 1
            $0.serviceSeconds += seconds
        }
        unansweredInARow.withLock { $0 = unanswered ? $0 + 1 : 0 }
        switch operation {
        case .read?: readAnswers.withLock { $0.record(seconds) }
        case .create?, .update?, .delete?: writeAnswers.withLock { $0.record(seconds) }
        case nil: break
        }
    }

    /// A read cancelled because its second copy answered first: what it had waited so far.
    func recordCutRead(_ seconds: Double) {
        readAnswers.withLock { $0.record(seconds) }
    }

    func update(_ change: (inout SeamCallCounts) -> Void) {
        counts.withLock { change(&$0) }
    }
}
