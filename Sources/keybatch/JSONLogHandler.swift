import Foundation
import KeyBatch
import Logging

/// `--log-format json`: one JSON object per line on standard error, for log shippers (Vector,
/// Fluent Bit, Promtail, journald's JSON forwarding): `ts` (UTC, milliseconds), `level`,
/// `logger`, `message`, then the line's metadata as top-level keys, e.g. a row's `line` and
/// `reservation_id`, a Seam error's `seam-request-id`. Numbers stay numbers.
///
/// Hand-written as a swift-log handler (the package set has no JSON handler); the encoding itself
/// is Foundation's `JSONSerialization`, so escaping is not ours.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let console: Console

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        console.writeLine(Self.line(level: event.level, label: label, message: event.message.description, fields: fields(of: event)))
    }

    /// The JSON line; the fixed keys win over metadata of the same name.
    static func line(level: Logger.Level, label: String, message: String, fields: Logger.Metadata) -> String {
        line(level: level, label: label, message: message, object: fields.mapValues(json))
    }

    /// The JSON line of `object` (the summary's figures), with the fixed keys every line has.
    static func line(level: Logger.Level, label: String, message: String, object: [String: Any]) -> String {
        var object = object
        object["ts"] = Timestamp.now().iso8601
        object["level"] = level.rawValue
        object["logger"] = label
        object["message"] = message
        return encode(object)
    }

    /// One JSON object on one line (JSON escapes every control character, so no line break or
    /// escape sequence from a file's field survives into the log).
    static func encode(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return #"{"level":"error","message":"unencodable log line"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text):
            return text
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: return number
            case let number as Double: return number.isFinite ? number : "\(number)"
            case let flag as Bool: return flag
            default: return convertible.description
            }
        case .array(let values):
            return values.map(json)
        case .dictionary(let values):
            return values.mapValues(json)
        }
    }
}
