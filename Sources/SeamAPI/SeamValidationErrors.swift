import Foundation

/// Field-level messages from a `400 invalid_input` body, flattened from Seam's nested
/// `{"field": {"_errors": [...], "child": {"_errors": [...]}}}` into dotted paths
/// (`access_schedule.ends_at`), so callers can report them row by row.
public struct SeamValidationErrors: Sendable, Equatable, Decodable {
    /// Dotted field path -> messages. The empty path holds form-level messages.
    public var fieldMessages: [String: [String]]

    public init(fieldMessages: [String: [String]]) {
        self.fieldMessages = fieldMessages
    }

    public init(from decoder: any Decoder) throws {
        var collected: [String: [String]] = [:]
        try Self.collect(from: decoder, path: "", into: &collected)
        fieldMessages = collected
    }

    public var isEmpty: Bool { fieldMessages.isEmpty }

    /// One line such as `access_schedule.ends_at: must be in the future; full_name: required`.
    public var summary: String {
        fieldMessages.keys.sorted().map { path in
            let messages = fieldMessages[path, default: []].joined(separator: ", ")
            return path.isEmpty ? messages : "\(path): \(messages)"
        }.joined(separator: "; ")
    }

    private static func collect(from decoder: any Decoder, path: String, into result: inout [String: [String]]) throws {
        guard let container = try? decoder.container(keyedBy: AnyCodingKey.self) else { return }
        for key in container.allKeys {
            if key.stringValue == "_errors" {
                let messages = (try? container.decode([String].self, forKey: key)) ?? []
                if !messages.isEmpty { result[path, default: []].append(contentsOf: messages) }
            } else {
                let childPath = path.isEmpty ? key.stringValue : "\(path).\(key.stringValue)"
                let childDecoder = try container.superDecoder(forKey: key)
                try collect(from: childDecoder, path: childPath, into: &result)
            }
        }
    }
}

/// A coding key built from any string, for bodies whose keys are data (field names, response keys).
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
