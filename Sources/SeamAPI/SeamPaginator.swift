/// The pagination loop, separate from HTTP so it can be tested with canned pages.
public enum SeamPaginator {
    /// Fetches pages while `pagination.has_next_page` is true and returns every item in order.
    ///
    /// Stops with an error rather than looping forever (`SeamPaginationGuard`): a next page
    /// announced without a cursor, a cursor given before, empty pages that keep announcing more,
    /// or more pages than any real listing has.
    public static func collectAll<Item: SeamResource>(
        endpoint: String,
        fetch: (_ pageCursor: String?) async throws -> SeamPage<Item>
    ) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        var pageGuard = SeamPaginationGuard(endpoint: endpoint)
        while true {
            try Task.checkCancellation()
            let page = try await fetch(cursor)
            items.append(contentsOf: page.items)
            guard let next = try pageGuard.nextCursor(after: page) else { return items }
            cursor = next
        }
    }
}
