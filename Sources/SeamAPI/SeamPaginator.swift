/// The pagination loop, separate from HTTP so it can be tested with canned pages.
public enum SeamPaginator {
    /// Fetches pages while `pagination.has_next_page` is true and returns every item in order.
    ///
    /// Stops with an error rather than looping forever if Seam announces a next page without a
    /// cursor, or hands back a cursor it already gave.
    public static func collectAll<Item: SeamResource>(
        endpoint: String,
        fetch: (_ pageCursor: String?) async throws -> SeamPage<Item>
    ) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        var seenCursors: Set<String> = []
        while true {
            try Task.checkCancellation()
            let page = try await fetch(cursor)
            items.append(contentsOf: page.items)
            guard let next = try nextCursor(of: page, endpoint: endpoint, seen: &seenCursors) else { return items }
            cursor = next
        }
    }

    /// The cursor to request next, nil after the last page; throws on a missing or repeated cursor.
    static func nextCursor<Item>(
        of page: SeamPage<Item>,
        endpoint: String,
        seen: inout Set<String>
    ) throws -> String? {
        guard page.pagination?.hasNextPage == true else { return nil }
        guard let next = page.pagination?.nextPageCursor, !next.isEmpty else {
            throw SeamError(endpoint: endpoint, kind: .undecodableResponse(
                status: 200, reason: "has_next_page is true but next_page_cursor is missing"))
        }
        guard seen.insert(next).inserted else {
            throw SeamError(endpoint: endpoint, kind: .undecodableResponse(
                status: 200, reason: "next_page_cursor repeats an earlier cursor"))
        }
        return next
    }
}
