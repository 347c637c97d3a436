import Foundation
import Testing
@testable import SeamSandbox

@Suite struct ConcurrencyTests {
    @Test func concurrentCreatesAreAllKeptWithDistinctIDs() async throws {
        try await withSandbox { client in
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<100 {
                    group.addTask { try await client.createIdentity(email: "c\(index)@example.com") }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(ids).count == 100)
            let list = try await client.post("/user_identities/list")
            #expect(list.json["user_identities"]?.arrayValue?.count == 100)
        }
    }

    @Test func concurrentDuplicateCreatesYieldExactlyOneIdentity() async throws {
        try await withSandbox { client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await client.post("/user_identities/create", ["email_address": "race@example.com"]).status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 400 }.count == 29)
        }
    }
}
