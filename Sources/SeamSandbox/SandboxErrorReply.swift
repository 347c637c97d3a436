/// An error answer in Seam's shape: `{"error": {"type", "message", ...}, "ok": false}`.
///
/// Client code branches on `type` (and on the HTTP status), so the sandbox uses the type names real
/// Seam uses: `invalid_input`, `unauthorized`, `<resource>_not_found`, plus the sandbox-only
/// `rate_limited` and fault types that stand in for Seam's own 429/5xx answers.
///
/// Named `SandboxErrorReply`, not `SeamError`, so a file importing both this module and the
/// `SeamAPI` client (whose `SeamError` is what a client *receives*) needs no module qualification.
public struct SandboxErrorReply: Error, Sendable, Equatable {
    public var status: Int
    public var type: String
    public var message: String
    /// Field errors keyed by dotted path (`access_schedule.ends_at`), rendered as zod's nested
    /// `{"field": {"_errors": [...]}}` form.
    public var validationErrors: [String: [String]]
    public var data: JSONValue?

    public init(status: Int, type: String, message: String, validationErrors: [String: [String]] = [:], data: JSONValue? = nil) {
        self.status = status
        self.type = type
        self.message = message
        self.validationErrors = validationErrors
        self.data = data
    }

    static func invalidInput(_ validationErrors: [String: [String]]) -> SandboxErrorReply {
        let summary = validationErrors.keys.sorted().map { "\($0): \(validationErrors[$0]!.joined(separator: "; "))" }
        return SandboxErrorReply(
            status: 400, type: "invalid_input",
            message: "Invalid input: " + summary.joined(separator: ", "),
            validationErrors: validationErrors
        )
    }

    static func invalidInput(field: String, _ message: String) -> SandboxErrorReply {
        invalidInput([field: [message]])
    }

    static func notFound(_ resource: String, id: String) -> SandboxErrorReply {
        SandboxErrorReply(status: 404, type: "\(resource)_not_found", message: "\(resource.replacingOccurrences(of: "_", with: " ")) \(id) not found")
    }

    static func unauthorized(_ message: String) -> SandboxErrorReply {
        SandboxErrorReply(status: 401, type: "unauthorized", message: message)
    }

    /// The JSON body for this error.
    public var body: JSONValue {
        var error: [String: JSONValue] = ["type": .string(type), "message": .string(message)]
        if !validationErrors.isEmpty { error["validation_errors"] = Self.nested(validationErrors) }
        if let data { error["data"] = data }
        return .object(["error": .object(error), "ok": .bool(false)])
    }

    /// Turns dotted paths into zod's `format()` tree: every level has `_errors`, leaves hold the messages.
    static func nested(_ flat: [String: [String]]) -> JSONValue {
        var root: [String: JSONValue] = ["_errors": .array([])]
        for (path, messages) in flat {
            insert(messages, at: path.split(separator: ".").map(String.init)[...], into: &root)
        }
        return .object(root)
    }

    private static func insert(_ messages: [String], at path: ArraySlice<String>, into node: inout [String: JSONValue]) {
        guard let head = path.first else {
            let existing = node["_errors"]?.arrayValue ?? []
            node["_errors"] = .array(existing + messages.map(JSONValue.string))
            return
        }
        var child = node[head]?.objectValue ?? ["_errors": .array([])]
        insert(messages, at: path.dropFirst(), into: &child)
        node[head] = .object(child)
    }
}
