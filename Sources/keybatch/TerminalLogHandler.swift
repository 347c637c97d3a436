import Foundation
import Logging

/// Plain `keybatch: level: message` lines on standard error.
///
/// swift-log's own `StreamLogHandler` prefixes a timestamp and label meant for services; a batch
/// tool's operator reads these lines in a terminal or a cron mail, where that noise hides the
/// file:line:column that matters.
struct TerminalLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = event.level == .info ? "" : "\(event.level): "
        FileHandle.standardError.write(Data("keybatch: \(prefix)\(event.message)\n".utf8))
    }
}
