import Foundation

/// (The same as SeamSandboxTests/TestTiming.swift: test modules share no code without a support
/// target of their own, and two lines do not warrant one.)
/// Wall-clock bounds of the few tests that must measure time (a delay is applied, a held answer
/// does not block others), stretched under a sanitizer: `make test-sanitize` sets
/// `KEYBATCH_TEST_TIME_SCALE`, since TSan and ASan slow every thread several times over and a
/// bound that holds on a loaded 2-core machine would not hold there. 1 otherwise.
enum TestTiming {
    static let scale: Int = ProcessInfo.processInfo.environment["KEYBATCH_TEST_TIME_SCALE"].flatMap(Int.init).map { max(1, min($0, 20)) } ?? 1

    static func scaled(_ duration: Duration) -> Duration { duration * scale }
}
