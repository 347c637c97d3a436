/// What stops a listing from following Seam's cursors forever: a cursor must be new, a page
/// that holds nothing may still announce more only a few times in a row, and no list has more
/// than ``maximumPages`` pages. Seam's cursors are opaque, so a fault (or a hostile stand-in) that
/// hands out a fresh cursor on every empty page is otherwise followed for as long as it keeps
/// answering; `export` and `provision --no-state` then never end.
///
/// The limits are far from any real listing: Seam fills a page up to the request's `limit`
/// (KeyBatch asks for 500), so 10,000 pages are 5 million items on one ACS system, and a real
/// "more to come" never comes on an empty page.
public struct SeamPaginationGuard: Sendable {
    /// Empty pages with `has_next_page: true` accepted in a row; one more stops the listing.
    public static let maximumEmptyPagesInARow = 3
    /// Pages fetched for one listing at most: the last one may not announce another.
    public static let maximumPages = 10_000

    let endpoint: String
    private var seenCursors: Set<String> = []
    private var pages = 0
    private var emptyPagesInARow = 0

    public init(endpoint: String) {
        self.endpoint = endpoint
    }

    /// The cursor to request after `page`, nil after the last page; throws a non-retryable
    /// `SeamError` (an unexpected response body) when the listing must stop.
    public mutating func nextCursor<Item>(after page: SeamPage<Item>) throws -> String? {
        pages += 1
        guard page.pagination?.hasNextPage == true else { return nil }
        guard let next = page.pagination?.nextPageCursor, !next.isEmpty else {
            throw failure("has_next_page is true but next_page_cursor is missing")
        }
        guard seenCursors.insert(next).inserted else {
            throw failure("next_page_cursor repeats an earlier cursor")
        }
        emptyPagesInARow = page.items.isEmpty ? emptyPagesInARow + 1 : 0
        if emptyPagesInARow > Self.maximumEmptyPagesInARow {
            throw failure("\(emptyPagesInARow) empty pages in a row each said has_next_page with a new cursor; the listing was stopped rather than followed forever")
        }
        if pages >= Self.maximumPages {
            throw failure("more than \(Self.maximumPages) pages in one listing; the listing was stopped rather than followed forever")
        }
        return next
    }

    private func failure(_ reason: String) -> SeamError {
        SeamError(endpoint: endpoint, kind: .undecodableResponse(status: 200, reason: reason))
    }
}
