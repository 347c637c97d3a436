import Foundation

/// How the sandbox tells time. Real Seam uses the wall clock; tests move it to pass a
/// Salto KS `starts_at` without waiting.
public enum SandboxClockSetting: Sendable, Equatable {
    case system
    /// Wall clock plus this many seconds.
    case offset(TimeInterval)
    /// Frozen at this instant.
    case fixed(Date)

    /// This setting moved forward by `seconds` (a fixed clock stays fixed, the system clock
    /// becomes an offset).
    func advanced(by seconds: TimeInterval) -> SandboxClockSetting {
        switch self {
        case .system: .offset(seconds)
        case .offset(let current): .offset(current + seconds)
        case .fixed(let date): .fixed(date.addingTimeInterval(seconds))
        }
    }

    /// The sandbox's "now" for a given wall-clock time.
    func now(wallClock: Date) -> Date {
        switch self {
        case .system: wallClock
        case .offset(let seconds): wallClock.addingTimeInterval(seconds)
        case .fixed(let date): date
        }
    }
}
