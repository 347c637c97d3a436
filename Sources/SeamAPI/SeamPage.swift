/// One page of a `list` response: `{"<listKey>": [...], "pagination": {...}}`.
/// Endpoints that do not paginate simply have no `pagination`, which reads as a single last page.
public struct SeamPage<Resource: SeamResource>: Decodable, Sendable {
    public var items: [Resource]
    public var pagination: SeamPagination?

    public init(items: [Resource], pagination: SeamPagination?) {
        self.items = items
        self.pagination = pagination
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        items = try container.decode([Resource].self, forKey: AnyCodingKey(Resource.listKey))
        pagination = try? container.decodeIfPresent(SeamPagination.self, forKey: AnyCodingKey("pagination"))
    }

    /// The cursor for the next page, or nil when this is the last page.
    public var nextPageCursor: String? {
        guard let pagination, pagination.hasNextPage == true else { return nil }
        return pagination.nextPageCursor
    }
}
