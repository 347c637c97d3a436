/// The pages of a paginated listing as an `AsyncSequence`, fetched lazily one at a time, for
/// callers that process a large listing without holding all of it.
public struct SeamPageSequence<Item: SeamResource>: AsyncSequence, Sendable {
    public typealias Element = SeamPage<Item>

    let endpoint: String
    let fetch: @Sendable (_ pageCursor: String?) async throws -> SeamPage<Item>

    public init(endpoint: String, fetch: @escaping @Sendable (_ pageCursor: String?) async throws -> SeamPage<Item>) {
        self.endpoint = endpoint
        self.fetch = fetch
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(endpoint: endpoint, fetch: fetch)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let endpoint: String
        let fetch: @Sendable (String?) async throws -> SeamPage<Item>
        var cursor: String?
        var finished = false
        var pageGuard: SeamPaginationGuard

        init(endpoint: String, fetch: @escaping @Sendable (String?) async throws -> SeamPage<Item>) {
            self.endpoint = endpoint
            self.fetch = fetch
            pageGuard = SeamPaginationGuard(endpoint: endpoint)
        }

        public mutating func next() async throws -> SeamPage<Item>? {
            guard !finished else { return nil }
            let page: SeamPage<Item>
            do {
                page = try await fetch(cursor)
                cursor = try pageGuard.nextCursor(after: page)
            } catch {
                finished = true
                throw error
            }
            if cursor == nil { finished = true }
            return page
        }
    }
}
