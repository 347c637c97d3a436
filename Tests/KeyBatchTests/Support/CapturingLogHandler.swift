import Logging
import Synchronization
@testable import KeyBatch

/// A swift-log handler that keeps every line (level, message, metadata with the provider's),
/// for tests of what a run logs.
struct CapturingLogHandler: LogHandler {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    final class Lines: Sendable {
        private let lines = Mutex<[Line]>([])
        var all: [Line] { lines.withLock { $0 } }
        func append(_ line: Line) { lines.withLock { $0.append(line) } }
    }

    let lines: Lines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(Line(level: event.level, message: event.message.description, metadata: fields(of: event)))
    }

    /// A logger whose lines land in `lines`, with the row context KeyBatch's CLI installs.
    static func logger(_ lines: Lines, level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in
            CapturingLogHandler(lines: lines, metadataProvider: RowLogContext.metadataProvider)
        }
        logger.logLevel = level
        return logger
    }
}
