import Foundation

/// Seam's cursor pagination: `limit` (default 500) and `page_cursor` in, `pagination` out.
///
/// The cursor names the insertion sequence of the last item served, not an offset, so deleting an
/// item between two page requests neither skips nor repeats anything. An empty `page_cursor` is
/// the first page, like `null` (the spec's nullable string allows it; `make fuzz-sandbox` sent it).
///
/// `limit` follows the spec's two typings. Where it is an integer with `exclusiveMinimum: 0`
/// (`user_identities/list`, `acs/users/list`), 0, negatives and fractions are `invalid_input`, as
/// Seam's validator answers them. Where it is a plain number with no bounds
/// (`acs/credentials/list`), every finite value is valid, so it is floored and clamped to at least
/// 1 instead of refused. Either way a page is never empty while more items remain (an empty page
/// with `has_next_page: true` would send a client round forever), and a huge limit is clamped to
/// the page-size cap instead of being converted to `Int` (3.4e38 used to trap the server).
struct SeamPagination {
    static let defaultLimit = 500

    let limit: Int
    let afterSequence: Int

    /// Reads `limit` and `page_cursor`; `integerLimit` is false for endpoints whose spec types
    /// `limit` as a plain number (acs/credentials/list). `maxPageSize` caps the page.
    init(reading input: inout SeamRequestInput, integerLimit: Bool = true, maxPageSize: Int? = nil) {
        let requested = integerLimit
            ? input.number("limit", integer: true, minimum: 0, exclusiveMinimum: true)
            : input.number("limit", integer: false)
        limit = Self.effectiveLimit(requested: requested, maxPageSize: maxPageSize)
        switch input.string("page_cursor", nullable: true) {
        case .value(let cursor) where !cursor.isEmpty:
            if let sequence = Self.decodeCursor(cursor) {
                afterSequence = sequence
            } else {
                input.fail("page_cursor", "Invalid page cursor")
                afterSequence = 0
            }
        default:
            afterSequence = 0
        }
    }

    /// The page size for a validated (finite) request: floored, at least 1, at most the cap.
    static func effectiveLimit(requested: Double?, maxPageSize: Int?) -> Int {
        let cap = maxPageSize ?? SandboxControls.maximumPageSize
        guard let requested else { return min(defaultLimit, cap) }
        let floored = requested.rounded(.down)
        guard floored >= 1 else { return 1 }
        return floored >= Double(cap) ? cap : Int(floored)
    }

    /// Cuts one page from `items` (any order; sorted here by sequence) and builds `pagination`.
    func page<Item>(of items: [Item], sequence: (Item) -> Int, input: SeamRequestInput, context: SeamCallContext) -> (items: [Item], pagination: JSONValue) {
        let remaining = items.filter { sequence($0) > afterSequence }.sorted { sequence($0) < sequence($1) }
        let pageItems = Array(remaining.prefix(limit))
        let hasNextPage = remaining.count > pageItems.count
        guard hasNextPage else {
            return (pageItems, .object(["next_page_cursor": .null, "has_next_page": .bool(false), "next_page_url": .null]))
        }
        let lastSequence = pageItems.last.map(sequence) ?? afterSequence
        let cursor = Self.encodeCursor(lastSequence)
        var query = input.scalarFieldsForQuery.filter { $0.0 != "page_cursor" }
        query.append(("page_cursor", cursor))
        let queryText = query.map { "\(Self.percentEncode($0.0))=\(Self.percentEncode($0.1))" }.joined(separator: "&")
        return (pageItems, .object([
            "next_page_cursor": .string(cursor),
            "has_next_page": .bool(true),
            "next_page_url": .string("\(context.baseURL)\(context.path)?\(queryText)"),
        ]))
    }

    static func encodeCursor(_ sequence: Int) -> String {
        Data("after:\(sequence)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeCursor(_ cursor: String) -> Int? {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              text.hasPrefix("after:"), let sequence = Int(text.dropFirst(6)), sequence >= 0
        else { return nil }
        return sequence
    }

    private static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
