import Testing
@testable import KeyBatch

@Suite struct FailureBudgetTests {
    @Test func parsesCountsAndPercentages() {
        #expect(FailureBudget("10") == .count(10))
        #expect(FailureBudget(" 5% ") == .percent(5))
        #expect(FailureBudget("-1") == nil)
        #expect(FailureBudget("150%") == nil)
        #expect(FailureBudget("ten") == nil)
    }

    @Test func aCountIsExceededPastTheLimit() {
        #expect(!FailureBudget.count(3).isExceeded(failed: 3, finished: 3))
        #expect(FailureBudget.count(3).isExceeded(failed: 4, finished: 4))
        #expect(FailureBudget.count(0).isExceeded(failed: 1, finished: 100))
    }

    @Test func aPercentageWaitsForASample() {
        #expect(!FailureBudget.percent(10).isExceeded(failed: 5, finished: 5))
        #expect(FailureBudget.percent(10).isExceeded(failed: 3, finished: 20))
        #expect(!FailureBudget.percent(10).isExceeded(failed: 2, finished: 20))
    }
}
