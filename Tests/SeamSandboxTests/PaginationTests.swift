import Foundation
import Testing
@testable import SeamSandbox

@Suite struct PaginationTests {
    @Test func pagesCoverEveryItemOnceAndSurviveDeletions() async throws {
        try await withSandbox { client in
            var created: [String] = []
            for index in 0..<7 { created.append(try await client.createIdentity(email: "p\(index)@example.com")) }
            let first = try await client.post("/user_identities/list", ["limit": 3])
            #expect(first.json["user_identities"]?.arrayValue?.count == 3)
            #expect(first.json["pagination"]?["has_next_page"] == true)
            let cursor = try #require(first.json["pagination"]?["next_page_cursor"]?.stringValue)
            let url = try #require(first.json["pagination"]?["next_page_url"]?.stringValue)
            #expect(url.hasPrefix(client.server.endpoint + "/user_identities/list?") && url.contains("page_cursor="))
            // Deleting an item already served must not shift the next page.
            _ = try await client.post("/user_identities/delete", ["user_identity_id": .string(created[0])])
            var seen = first.json["user_identities"]?.arrayValue?.compactMap { $0["user_identity_id"]?.stringValue } ?? []
            var next: String? = cursor
            while let pageCursor = next {
                let page = try await client.post("/user_identities/list", ["limit": 3, "page_cursor": .string(pageCursor)])
                seen += page.json["user_identities"]?.arrayValue?.compactMap { $0["user_identity_id"]?.stringValue } ?? []
                next = page.json["pagination"]?["has_next_page"] == true ? page.json["pagination"]?["next_page_cursor"]?.stringValue : nil
                if next == nil {
                    #expect(page.json["pagination"] == ["has_next_page": false, "next_page_cursor": nil, "next_page_url": nil])
                }
            }
            #expect(seen == created)
        }
    }

    @Test func defaultLimitIs500AndFiltersCarryThroughGETCursor() async throws {
        try await withSandbox { client in
            // Four users of one identity on one system: only `IdentityLinkRule.allow` keeps them all.
            client.controls.setIdentityLinkRule(.allow)
            let id = try await client.createIdentity(email: "many@example.com")
            for index in 0..<4 { _ = try await client.createACSUser(identityID: id, fullName: "r\(index)") }
            _ = try await client.createACSUser(identityID: nil, fullName: "other")
            let all = try await client.post("/acs/users/list")
            #expect(all.json["acs_users"]?.arrayValue?.count == 5 && all.json["pagination"]?["has_next_page"] == false)
            let first = try await client.get("/acs/users/list", query: "user_identity_id=\(id)&limit=3")
            #expect(first.json["acs_users"]?.arrayValue?.count == 3)
            let url = try #require(first.json["pagination"]?["next_page_url"]?.stringValue)
            let query = String(url.split(separator: "?", maxSplits: 1)[1])
            let second = try await client.get("/acs/users/list", query: query)
            #expect(second.json["acs_users"]?.arrayValue?.compactMap { $0["full_name"]?.stringValue } == ["r3"])
            let credentials = try await client.post("/acs/credentials/list", ["limit": 1.0])
            #expect(credentials.status == 200 && credentials.json["pagination"]?["has_next_page"] == false)
            let badCursor = try await client.post("/acs/users/list", ["page_cursor": "garbage!"])
            #expect(badCursor.status == 400 && badCursor.validationErrors("page_cursor").count == 1)
        }
    }
}
