import Foundation
import Testing
@testable import SeamAPI

@Suite struct PaginationTests {
    /// Three canned pages keyed by cursor; records which cursors were asked for.
    private actor CannedPages {
        var requestedCursors: [String?] = []
        let pages: [String: SeamPage<ACSUser>]

        init(pages: [String: SeamPage<ACSUser>]) { self.pages = pages }

        func page(for cursor: String?) throws -> SeamPage<ACSUser> {
            requestedCursors.append(cursor)
            guard let page = pages[cursor ?? "first"] else { throw CancellationError() }
            return page
        }
    }

    private static let threePages: [String: SeamPage<ACSUser>] = [
        "first": SeamPage(items: [ACSUser(acsUserID: "1"), ACSUser(acsUserID: "2")],
                          pagination: SeamPagination(hasNextPage: true, nextPageCursor: "c2")),
        "c2": SeamPage(items: [ACSUser(acsUserID: "3")], pagination: SeamPagination(hasNextPage: true, nextPageCursor: "c3")),
        "c3": SeamPage(items: [ACSUser(acsUserID: "4")], pagination: SeamPagination(hasNextPage: false, nextPageCursor: nil)),
    ]

    @Test func collectsEveryPageInOrder() async throws {
        let pages = CannedPages(pages: Self.threePages)
        let users = try await SeamPaginator.collectAll(endpoint: "acs/users/list") { try await pages.page(for: $0) }
        #expect(users.map(\.acsUserID) == ["1", "2", "3", "4"])
        #expect(await pages.requestedCursors == [nil, "c2", "c3"])
    }

    @Test func aPageWithoutPaginationIsTheLast() async throws {
        let pages = CannedPages(pages: ["first": SeamPage(items: [ACSUser(acsUserID: "1")], pagination: nil)])
        let users = try await SeamPaginator.collectAll(endpoint: "acs/users/list") { try await pages.page(for: $0) }
        #expect(users.count == 1)
        #expect(await pages.requestedCursors == [nil])
    }

    @Test func repeatedCursorStopsWithAnError() async throws {
        let pages = CannedPages(pages: [
            "first": SeamPage(items: [], pagination: SeamPagination(hasNextPage: true, nextPageCursor: "c2")),
            "c2": SeamPage(items: [], pagination: SeamPagination(hasNextPage: true, nextPageCursor: "c2")),
        ])
        await #expect(throws: SeamError.self) {
            _ = try await SeamPaginator.collectAll(endpoint: "acs/users/list") { try await pages.page(for: $0) }
        }
    }

    @Test func nextPageWithoutCursorStopsWithAnError() async throws {
        let pages = CannedPages(pages: [
            "first": SeamPage(items: [], pagination: SeamPagination(hasNextPage: true, nextPageCursor: nil)),
        ])
        await #expect(throws: SeamError.self) {
            _ = try await SeamPaginator.collectAll(endpoint: "acs/users/list") { try await pages.page(for: $0) }
        }
    }

    @Test func pageSequenceYieldsPagesLazily() async throws {
        let pages = CannedPages(pages: Self.threePages)
        let sequence = SeamPageSequence<ACSUser>(endpoint: "acs/users/list") { try await pages.page(for: $0) }
        var sizes: [Int] = []
        for try await page in sequence {
            sizes.append(page.items.count)
            if sizes.count == 2 { break }
        }
        #expect(sizes == [2, 1])
        #expect(await pages.requestedCursors == [nil, "c2"])
    }
}
