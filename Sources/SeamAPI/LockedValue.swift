import Foundation

/// A value guarded by a lock, for counters updated from many tasks without `await`.
/// (`Mutex` would do, but needs macOS 15 and the package targets macOS 14.)
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
