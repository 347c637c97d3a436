import Foundation

/// Whether a request field was left out, sent as `null`, or sent with a value.
///
/// Updates need all three: leaving `email_address` out keeps it, `null` clears it.
enum FieldPresence<Value> {
    case absent
    case null
    case value(Value)

    /// The value, treating both `absent` and `null` as nil.
    var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }

    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }
}

/// The parameters of one Seam request (JSON body or query string) with typed, validating accessors.
///
/// Each accessor records a zod-style message for a field that breaks the spec instead of failing at
/// once, so one `400 invalid_input` reports every bad field, as Seam does. Query strings carry only
/// text, so for GET requests numbers and booleans are read from their text form.
struct SeamRequestInput {
    private let fields: [String: JSONValue]
    private let fromQuery: Bool
    private let pathPrefix: String
    private(set) var errors: [String: [String]] = [:]
    /// Field errors not recorded because `maximumRecordedErrors` paths already were.
    private(set) var omittedErrors = 0

    /// The most field paths one `invalid_input` lists. Arrays of objects multiply per-item errors
    /// (500 refusal rules of 1,000 wrong items each fit in a 1 MiB body); beyond this the answer
    /// only counts them, so its size stays bounded whatever the body holds.
    static let maximumRecordedErrors = 1_000

    init(body: [String: JSONValue]) {
        self.fields = body
        self.fromQuery = false
        self.pathPrefix = ""
    }

    /// Builds input from decoded query pairs; a repeated key becomes an array. Values are
    /// gathered per name first, so a key repeated n times costs O(n), not O(n²).
    init(query pairs: [(String, String)]) {
        var values: [String: [JSONValue]] = [:]
        var isArray: Set<String> = []
        for (key, value) in pairs {
            let name = key.hasSuffix("[]") ? String(key.dropLast(2)) : key
            if key.hasSuffix("[]") { isArray.insert(name) }
            values[name, default: []].append(.string(value))
        }
        var fields: [String: JSONValue] = [:]
        for (name, items) in values {
            fields[name] = items.count == 1 && !isArray.contains(name) ? items[0] : .array(items)
        }
        self.fields = fields
        self.fromQuery = true
        self.pathPrefix = ""
    }

    private init(nested fields: [String: JSONValue], fromQuery: Bool, pathPrefix: String) {
        self.fields = fields
        self.fromQuery = fromQuery
        self.pathPrefix = pathPrefix
    }

    /// Whether `name` was sent as JSON `null`.
    func isNull(_ name: String) -> Bool {
        fields[name]?.isNull ?? false
    }

    /// The names of the fields that were sent.
    var presentFields: Set<String> { Set(fields.keys) }

    /// Scalar fields as query pairs, used to build `next_page_url`.
    var scalarFieldsForQuery: [(String, String)] {
        fields.keys.sorted().compactMap { key in
            switch fields[key]! {
            case .string(let value): (key, value)
            case .bool(let value): (key, value ? "true" : "false")
            case .number(let value): (key, JSONValue.number(value).serialized())
            default: nil
            }
        }
    }

    mutating func fail(_ field: String, _ message: String) {
        record([message], at: pathPrefix + field)
    }

    private mutating func record(_ messages: [String], at path: String) {
        if errors[path] == nil, errors.count >= Self.maximumRecordedErrors {
            omittedErrors += messages.count
        } else {
            errors[path, default: []] += messages
        }
    }

    /// Throws `invalid_input` listing the recorded field errors (and counting the omitted ones).
    func throwIfInvalid() throws(SandboxErrorReply) {
        if !errors.isEmpty { throw SandboxErrorReply.invalidInput(errors, omitted: omittedErrors) }
    }

    // MARK: - Strings

    enum StringFormat {
        case plain, uuid, email, digits
    }

    mutating func string(_ name: String, required: Bool = false, nullable: Bool = false, minLength: Int? = nil, format: StringFormat = .plain) -> FieldPresence<String> {
        guard let raw = fields[name] else {
            if required { fail(name, "Required") }
            return .absent
        }
        if raw.isNull {
            if nullable { return .null }
            fail(name, "Expected string, received null")
            return .absent
        }
        guard let text = raw.stringValue else {
            fail(name, "Expected string, received \(raw.typeName)")
            return .absent
        }
        if let minLength, text.count < minLength {
            fail(name, "String must contain at least \(minLength) character(s)")
            return .absent
        }
        switch format {
        case .plain: break
        case .uuid where !Self.isUUID(text): fail(name, "Invalid uuid"); return .absent
        case .email where !Self.isEmail(text): fail(name, "Invalid email"); return .absent
        case .digits where text.isEmpty || !text.allSatisfy(\.isASCII) || !text.allSatisfy(\.isNumber):
            fail(name, "Invalid"); return .absent
        default: break
        }
        return .value(text)
    }

    mutating func uuid(_ name: String, required: Bool = false) -> String? {
        string(name, required: required, format: .uuid).value
    }

    mutating func enumValue(_ name: String, allowed: [String], required: Bool = false) -> String? {
        guard let text = string(name, required: required).value else { return nil }
        guard allowed.contains(text) else {
            let expected = allowed.map { "'\($0)'" }.joined(separator: " | ")
            fail(name, "Invalid enum value. Expected \(expected), received '\(text)'")
            return nil
        }
        return text
    }

    mutating func date(_ name: String, required: Bool = false, nullable: Bool = false) -> FieldPresence<Date> {
        switch string(name, required: required, nullable: nullable) {
        case .absent: return .absent
        case .null: return .null
        case .value(let text):
            guard let date = SeamTimestamp.parse(text) else {
                fail(name, "Invalid datetime")
                return .absent
            }
            return .value(date)
        }
    }

    // MARK: - Numbers and booleans

    mutating func bool(_ name: String) -> Bool? {
        guard let raw = fields[name] else { return nil }
        if let value = raw.boolValue { return value }
        if fromQuery, let text = raw.stringValue, text == "true" || text == "false" { return text == "true" }
        fail(name, "Expected boolean, received \(raw.typeName)")
        return nil
    }

    /// A number within bounds. Non-finite values (`inf`, `nan` in a query string, or a JSON number
    /// too large for a double) are refused like a wrong type: nothing downstream has to guard
    /// against them, and no later integer conversion can trap.
    mutating func number(_ name: String, integer: Bool, minimum: Double? = nil, exclusiveMinimum: Bool = false, maximum: Double? = nil) -> Double? {
        guard let raw = fields[name] else { return nil }
        var number = raw.numberValue
        if number == nil, fromQuery, let text = raw.stringValue { number = Double(text) }
        guard let number else {
            fail(name, "Expected number, received \(raw.typeName)")
            return nil
        }
        guard number.isFinite else {
            fail(name, number.isNaN ? "Expected number, received nan" : "Number must be finite")
            return nil
        }
        if integer, number.rounded() != number {
            fail(name, "Expected integer, received float")
            return nil
        }
        if let minimum, exclusiveMinimum ? number <= minimum : number < minimum {
            let bound = JSONValue.number(minimum).serialized()
            fail(name, exclusiveMinimum ? "Number must be greater than \(bound)" : "Number must be greater than or equal to \(bound)")
            return nil
        }
        if let maximum, number > maximum {
            fail(name, "Number must be less than or equal to \(JSONValue.number(maximum).serialized())")
            return nil
        }
        return number
    }

    /// An integer within `minimum...maximum`, converted only after the bounds are checked.
    mutating func integer(_ name: String, minimum: Int, maximum: Int) -> Int? {
        number(name, integer: true, minimum: Double(minimum), maximum: Double(maximum)).map { Int($0) }
    }

    // MARK: - Arrays and objects

    /// The most items any array field may hold, in Seam's requests and the `/_sandbox` controls
    /// alike. Seam documents no limit; real requests carry a handful of ids (a guest's access
    /// groups, an identity's systems), and without a cap one request with 100,000 ids held the
    /// store's lock for minutes (issue 26). A longer array is refused before any item is read.
    static let maximumArrayItems = 1_000

    /// Refuses an array longer than `maximumArrayItems` (zod's message for `.max(n)`).
    private mutating func withinCap(_ name: String, _ items: [JSONValue]) -> Bool {
        guard items.count > Self.maximumArrayItems else { return true }
        fail(name, "Array must contain at most \(Self.maximumArrayItems) element(s)")
        return false
    }

    mutating func uuidArray(_ name: String) -> [String]? {
        guard let raw = fields[name] else { return nil }
        var items: [JSONValue]
        if let array = raw.arrayValue {
            items = array
        } else if fromQuery, let text = raw.stringValue {
            items = text.split(separator: ",").map { .string(String($0)) }
        } else {
            fail(name, "Expected array, received \(raw.typeName)")
            return nil
        }
        guard withinCap(name, items) else { return nil }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else {
                fail("\(name).\(index)", "Expected string, received \(item.typeName)")
                continue
            }
            guard Self.isUUID(text) else {
                fail("\(name).\(index)", "Invalid uuid")
                continue
            }
            result.append(text)
        }
        return result
    }

    /// An array of strings (the test controls' id and email lists).
    mutating func stringArray(_ name: String) -> [String]? {
        guard let raw = fields[name] else { return nil }
        guard let items = raw.arrayValue else {
            fail(name, "Expected array, received \(raw.typeName)")
            return nil
        }
        guard withinCap(name, items) else { return nil }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else {
                fail("\(name).\(index)", "Expected string, received \(item.typeName)")
                continue
            }
            result.append(text)
        }
        return result
    }

    /// An array of objects, each as its own input (read, then `absorb`), paths `name.index.field`.
    mutating func objectArray(_ name: String) -> [SeamRequestInput]? {
        guard let raw = fields[name] else { return nil }
        guard let items = raw.arrayValue else {
            fail(name, "Expected array, received \(raw.typeName)")
            return nil
        }
        guard withinCap(name, items) else { return nil }
        var result: [SeamRequestInput] = []
        for (index, item) in items.enumerated() {
            guard let object = item.objectValue else {
                fail("\(name).\(index)", "Expected object, received \(item.typeName)")
                continue
            }
            result.append(SeamRequestInput(nested: object, fromQuery: fromQuery, pathPrefix: pathPrefix + "\(name).\(index)."))
        }
        return result
    }

    /// A nested object as its own input; read its fields, then `absorb` it to keep its errors.
    mutating func object(_ name: String, nullable: Bool = false) -> FieldPresence<SeamRequestInput> {
        guard let raw = fields[name] else { return .absent }
        if raw.isNull {
            if nullable { return .null }
            fail(name, "Expected object, received null")
            return .absent
        }
        guard let nested = raw.objectValue else {
            fail(name, "Expected object, received \(raw.typeName)")
            return .absent
        }
        return .value(SeamRequestInput(nested: nested, fromQuery: fromQuery, pathPrefix: pathPrefix + name + "."))
    }

    /// Takes over the errors a nested input recorded.
    mutating func absorb(_ nested: SeamRequestInput) {
        for (path, messages) in nested.errors { record(messages, at: path) }
        omittedErrors += nested.omittedErrors
    }

    // MARK: - Formats

    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex = (48...57).contains(byte) || (97...102).contains(byte) || (65...70).contains(byte)
                guard isHex else { return false }
            }
        }
        return true
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !text.contains(" ")
        else { return false }
        return true
    }
}
