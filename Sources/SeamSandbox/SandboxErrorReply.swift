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

    /// The field paths `invalid_input`'s message spells out; `validation_errors` has them all.
    static let maximumPathsInMessage = 20

    /// `400 invalid_input`; `omitted` counts errors left out of `validationErrors` (see
    /// `SeamRequestInput.maximumRecordedErrors`).
    static func invalidInput(_ validationErrors: [String: [String]], omitted: Int = 0) -> SandboxErrorReply {
        let paths = validationErrors.keys.sorted()
        var summary = paths.prefix(maximumPathsInMessage).map { "\($0): \(validationErrors[$0]!.joined(separator: "; "))" }.joined(separator: ", ")
        let unnamed = paths.count - min(paths.count, maximumPathsInMessage) + omitted
        if unnamed > 0 { summary += " and \(unnamed) more" }
        return SandboxErrorReply(
            status: 400, type: "invalid_input",
            message: "Invalid input: " + summary,
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
    ///
    /// Built level by level from the paths grouped by their first component, so each path is
    /// looked at once per level: linear in the number of errors (inserting paths one by one into
    /// nested dictionaries copied a whole level per insertion, quadratic for a long array's
    /// per-item errors).
    static func nested(_ flat: [String: [String]]) -> JSONValue {
        tree(flat.map { (path: $0.key.split(separator: ".").map(String.init)[...], messages: $0.value) })
    }

    private static func tree(_ entries: [(path: ArraySlice<String>, messages: [String])]) -> JSONValue {
        var errors: [JSONValue] = []
        var children: [String: [(path: ArraySlice<String>, messages: [String])]] = [:]
        for entry in entries {
            if let head = entry.path.first {
                children[head, default: []].append((entry.path.dropFirst(), entry.messages))
            } else {
                errors += entry.messages.map(JSONValue.string)
            }
        }
        var node: [String: JSONValue] = ["_errors": .array(errors)]
        for (key, group) in children { node[key] = tree(group) }
        return .object(node)
    }
}
