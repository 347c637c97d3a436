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
    /// Adds the row a line is about (`RowLogContext`).
    var metadataProvider: Logger.MetadataProvider?
    var console = Console.standardError

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = event.level == .info ? "" : "\(event.level): "
        var line = "keybatch: \(prefix)\(event.message)"
        // Debug lines (a Seam call, a retry) carry their facts as metadata: shown as key=value.
        let fields = fields(of: event)
        for key in fields.keys.sorted() { line += " \(key)=\(fields[key]!)" }
        console.writeLine(Self.neutralised(line))
    }

    /// Messages quote values from files (a field, a header name): control characters and escape
    /// sequences in them are shown as `\u{1B}`, never sent to the terminal, where they could
    /// clear the screen, retitle the window or hide what follows. Newlines between lines of one
    /// message are kept; tabs too.
    static func neutralised(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let isControl = scalar.properties.generalCategory == .control
            // Bidirectional overrides and isolates reorder what follows them on screen.
            let reordersText = (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            if scalar == "\n" || scalar == "\t" || !(isControl || reordersText) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return result
    }
}
