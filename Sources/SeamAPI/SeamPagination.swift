/// Seam's `pagination` object. All fields are optional here so a missing one cannot break a listing.
public struct SeamPagination: Codable, Sendable, Equatable {
    public var hasNextPage: Bool?
    public var nextPageCursor: String?
    public var nextPageURL: String?

    public init(hasNextPage: Bool?, nextPageCursor: String?, nextPageURL: String? = nil) {
        self.hasNextPage = hasNextPage
        self.nextPageCursor = nextPageCursor
        self.nextPageURL = nextPageURL
    }

    enum CodingKeys: String, CodingKey {
        case hasNextPage = "has_next_page"
        case nextPageCursor = "next_page_cursor"
        case nextPageURL = "next_page_url"
    }
}
