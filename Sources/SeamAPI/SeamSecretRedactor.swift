/// Takes the API key out of any text about a failed call before it leaves the client: Seam never
/// echoes it, but a proxy's error page or a transport error's description can, and not always
/// verbatim. async-http-client's `invalidHeaderFieldValues` quotes the whole `Authorization`
/// header through Swift's debug description, so a key holding a line break shows as `\n`, not as
/// the key's own characters; a plain search for the key misses exactly the keys most likely to
/// be echoed. So the key is looked for as written and in its escaped forms (Swift's debug and
/// JSON's), and whatever follows `Bearer ` is dropped whatever it is.
struct SeamSecretRedactor: Sendable {
    static let placeholder = "<redacted>"
    /// The key and its escaped spellings, longest first (an escaped form contains no shorter one's
    /// tail, but replacing the longest first keeps the result free of leftover halves).
    private let spellings: [String]

    init(secret: String) {
        guard !secret.isEmpty else {
            spellings = []
            return
        }
        let debug = String(String(reflecting: secret).dropFirst().dropLast())
        let json = Self.jsonEscaped(secret)
        spellings = Array(Set([secret, debug, json])).filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    func redact(_ text: String) -> String {
        var result = text
        for spelling in spellings where result.contains(spelling) {
            result = result.replacingOccurrences(of: spelling, with: Self.placeholder)
        }
        return Self.redactingBearerTokens(result)
    }

    /// `Bearer ` and the token after it (up to a quote, a bracket, a comma or white space) become
    /// `Bearer <redacted>`: a credential in a header quoted by some layer we do not know.
    static func redactingBearerTokens(_ text: String) -> String {
        guard text.contains("Bearer ") else { return text }
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: "Bearer ") {
            output += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let end = rest.firstIndex(where: { $0 == "\"" || $0 == "'" || $0 == "]" || $0 == "," || $0 == ")" || $0.isWhitespace })
                ?? rest.endIndex
            if end != rest.startIndex { output += placeholder }
            rest = rest[end...]
        }
        return output + rest
    }

    private static func jsonEscaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
