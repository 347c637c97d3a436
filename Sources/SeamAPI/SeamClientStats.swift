import Synchronization

/// Run-wide counters of Seam traffic, safe to update from every task.
/// Share one instance between the clients of a run and read ``snapshot`` for the summary.
public final class SeamClientStats: Sendable {
    private let counts = Mutex(SeamCallCounts())
    private let times = Mutex(SeamTiming())
    private let answers = Mutex(AnswerTimes())

    public init() {}

    public var snapshot: SeamCallCounts { counts.withLock { $0 } }

    /// Where the calls spent their time (kept apart from the counts, which tests compare exactly).
    public var timing: SeamTiming { times.withLock { $0 } }

    /// The latest answered calls' times (transport failures are not answers).
    public var answerTimes: AnswerTimes { answers.withLock { $0 } }

    func recordService(_ seconds: Double, answered: Bool) {
        times.withLock {
            $0.attempts += 1
            $0.serviceSeconds += seconds
        }
        if answered { answers.withLock { $0.record(seconds) } }
    }

    func update(_ change: (inout SeamCallCounts) -> Void) {
        counts.withLock { change(&$0) }
    }
}
