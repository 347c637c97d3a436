/// A typed Seam call: its JSON body (the conforming value, snake_case keys), its path and the
/// shape of its response. Nil optionals are omitted from the body.
public protocol SeamRequest: Encodable, Sendable {
    associatedtype Response: Decodable & Sendable
    /// Path without leading slash, e.g. `acs/users/create`.
    static var path: String { get }
    static var operation: SeamOperation { get }
}

/// A `list` call that takes `limit`/`page_cursor` and answers with `pagination`.
public protocol SeamPaginatedRequest: SeamRequest where Response == SeamPage<Item> {
    associatedtype Item: SeamResource
    var limit: Int? { get set }
    var pageCursor: String? { get set }
}
