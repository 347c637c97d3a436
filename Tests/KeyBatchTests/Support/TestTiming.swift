import Foundation
import Synchronization

/// (The same as SeamAPITests/TestTiming.swift, plus `withDeadline`: test modules share no code
/// without a support target of their own.)
/// Wall-clock bounds of the few tests that must measure time, stretched under a sanitizer:
/// `make test-sanitize` sets `KEYBATCH_TEST_TIME_SCALE`, since TSan and ASan slow every thread
/// several times over and a bound that holds on a loaded 2-core machine would not hold there.
/// 1 otherwise.
enum TestTiming {
    static let scale: Int = ProcessInfo.processInfo.environment["KEYBATCH_TEST_TIME_SCALE"].flatMap(Int.init).map { max(1, min($0, 20)) } ?? 1

    static func scaled(_ duration: Duration) -> Duration { duration * scale }

    struct DeadlinePassed: Error, CustomStringConvertible {
        var what: String
        var limit: Duration
        var description: String { "\(what): not done within \(limit)" }
    }

    /// `body`'s value, or `DeadlinePassed` (the test's failure, naming `what`) once
    /// `limit` (scaled) has passed: a regression that would hang the test fails it instead. On
    /// the deadline `body` is cancelled and left behind, not awaited: a body that ignores
    /// cancellation (a continuation never resumed) must not hang the test either, which a task
    /// group, waiting for its children, would.
    static func withDeadline<T: Sendable>(_ limit: Duration, _ what: String,
                                          _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = scaled(limit)
        let race = Race<T>()
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>, Never>) in
            race.start(continuation)
            let work = Task {
                let outcome: Result<T, any Error>
                do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
                race.finish(outcome)
            }
            Task {
                try? await Task.sleep(for: limit)
                if race.finish(.failure(DeadlinePassed(what: what, limit: limit))) { work.cancel() }
            }
        }
        return try result.get()
    }

    /// The first of the body and the timer to finish resumes the waiting test; the other is ignored.
    private final class Race<T: Sendable>: Sendable {
        private let continuation = Mutex<CheckedContinuation<Result<T, any Error>, Never>?>(nil)

        func start(_ waiting: CheckedContinuation<Result<T, any Error>, Never>) {
            continuation.withLock { $0 = waiting }
        }

        @discardableResult
        func finish(_ result: Result<T, any Error>) -> Bool {
            guard let waiting = continuation.withLock({ $0.take() }) else { return false }
            waiting.resume(returning: result)
            return true
        }
    }

    /// Polls `condition` every 10 ms until it holds, failing as `withDeadline` does if it does not
    /// within `limit` (scaled).
    static func until(_ limit: Duration, _ what: String,
                      _ condition: @escaping @Sendable () -> Bool) async throws {
        try await withDeadline(limit, what) {
            while !condition() { try await Task.sleep(for: .milliseconds(10)) }
        }
    }
}
