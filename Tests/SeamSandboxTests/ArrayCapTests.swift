import Foundation
import Testing
@testable import SeamSandbox

/// Every array field holds at most `SeamRequestInput.maximumArrayItems` items (issue 26, item 10:
/// 100,000 group ids once held the sandbox for minutes). A longer one is one `invalid_input` naming
/// the field, refused before any item is read; one at the cap is served.
@Suite struct ArrayCapTests {
    static let cap = SeamRequestInput.maximumArrayItems
    static let capMessage = "Array must contain at most 1000 element(s)"

    /// Each Seam route with an array field, and the rest of a body it would accept.
    static let arrayFields: [(route: String, field: String, body: [String: JSONValue])] = [
        ("/acs/users/create", "acs_access_group_ids", ["acs_system_id": .string(SandboxTestClient.buildingA), "full_name": "big"]),
        ("/user_identities/create", "acs_system_ids", ["email_address": "big@example.com"]),
        ("/user_identities/list", "user_identity_ids", [:]),
        ("/acs/credentials/create", "allowed_acs_entrance_ids", ["access_method": "code"]),
    ]

    /// `count` copies of `item` (a short item keeps 100,000 of them under the 1 MiB body limit,
    /// so the array, not the body size, is what is refused).
    static func array(_ count: Int, of item: JSONValue) -> JSONValue {
        .array(Array(repeating: item, count: count))
    }

    @Test func aCreateWithAHundredThousandGroupIDsIsOneInvalidInput() async throws {
        try await withSandbox { client in
            let reply = try await client.post("/acs/users/create", [
                "acs_system_id": .string(SandboxTestClient.buildingA), "full_name": "big",
                "acs_access_group_ids": Self.array(100_000, of: "x"),
            ])
            #expect(reply.status == 400 && reply.errorType == "invalid_input")
            #expect(reply.validationErrors("acs_access_group_ids") == [Self.capMessage])
            // Refused as a whole: no per-item errors were gathered.
            #expect(reply.json["error"]?["validation_errors"]?["acs_access_group_ids"]?.objectValue?.keys.sorted() == ["_errors"])
            #expect(try await client.post("/acs/users/list").json["acs_users"] == [])
        }
    }

    @Test(arguments: arrayFields.indices)
    func oneItemOverTheCapIsOneInvalidInputNamingTheField(index: Int) async throws {
        let (route, field, base) = Self.arrayFields[index]
        try await withSandbox { client in
            var body = base
            if route == "/acs/credentials/create" {
                body["acs_user_id"] = .string(try #require(try await client.createACSUser(identityID: nil)["acs_user_id"]?.stringValue))
            }
            for item: JSONValue in ["x", 1, .string(SandboxTestClient.groupA1)] {
                body[field] = Self.array(Self.cap + 1, of: item)
                let reply = try await client.post(route, .object(body))
                #expect(reply.status == 400 && reply.errorType == "invalid_input", "\(route) \(field)")
                #expect(reply.validationErrors(field) == [Self.capMessage], "\(route) \(field)")
                #expect(reply.json["error"]?["validation_errors"]?[field]?.objectValue?.keys.sorted() == ["_errors"], "\(route) \(field)")
            }
            #expect(try await client.post("/user_identities/list").json["user_identities"] == [])
            #expect(try await client.post("/acs/credentials/list").json["acs_credentials"] == [])
        }
    }

    @Test func aCreateAtTheCapIsServedAndItsGroupsCountOnce() async throws {
        try await withSandbox { client in
            let guest = try await client.createIdentity(email: "cap@example.com")
            var groups = Array(repeating: JSONValue.string(SandboxTestClient.groupA1), count: Self.cap - 1)
            groups.append(.string(SandboxTestClient.groupA2))
            let reply = try await client.post("/acs/users/create", [
                "acs_system_id": .string(SandboxTestClient.buildingA), "full_name": "at-cap",
                "user_identity_id": .string(guest), "acs_access_group_ids": .array(groups),
            ])
            #expect(reply.status == 200)
            let userID = try #require(reply.json["acs_user"]?["acs_user_id"]?.stringValue)
            let memberships = try await client.post("/acs/access_groups/list", ["acs_user_id": .string(userID)])
            #expect(memberships.json["acs_access_groups"]?.arrayValue?.compactMap { $0["acs_access_group_id"]?.stringValue }
                == [SandboxTestClient.groupA1, SandboxTestClient.groupA2])
        }
    }

    @Test func aListAtTheCapIsServed() async throws {
        try await withSandbox { client in
            let guest = try await client.createIdentity(email: "listed@example.com")
            var ids = (1..<Self.cap).map { _ in JSONValue.string(UUID().uuidString.lowercased()) }
            ids.append(.string(guest))
            let reply = try await client.post("/user_identities/list", ["user_identity_ids": .array(ids)])
            #expect(reply.status == 200)
            #expect(reply.json["user_identities"]?.arrayValue?.compactMap { $0["user_identity_id"]?.stringValue } == [guest])
        }
    }

    @Test func aQueryStringIsCappedToo() async throws {
        try await withSandbox { client in
            let over = Array(repeating: "user_identity_ids=x", count: Self.cap + 1).joined(separator: "&")
            let refused = try await client.get("/user_identities/list", query: over)
            #expect(refused.status == 400 && refused.validationErrors("user_identity_ids") == [Self.capMessage])
            // At the cap the items are read (and these are no uuids).
            let at = Array(repeating: "user_identity_ids[]=x", count: Self.cap).joined(separator: "&")
            let read = try await client.get("/user_identities/list", query: at)
            #expect(read.status == 400 && read.validationErrors("user_identity_ids").isEmpty)
            #expect(read.validationErrors("user_identity_ids", "\(Self.cap - 1)") == ["Invalid uuid"])
        }
    }

    @Test func theAdminControlsAreCappedToo() async throws {
        try await withSandbox { client in
            let rule: JSONValue = ["operations": ["create"], "reservation_ids": Self.array(100_000, of: "r")]
            let refused = try await client.admin("/_sandbox/provider", ["refusals": [rule]])
            #expect(refused.status == 400 && refused.validationErrors("refusals", "0", "reservation_ids") == [Self.capMessage])
            let tooManyRules = try await client.admin("/_sandbox/provider", ["refusals": Self.array(Self.cap + 1, of: [:])])
            #expect(tooManyRules.status == 400 && tooManyRules.validationErrors("refusals") == [Self.capMessage])
            #expect(client.controls.providerBehavior(workspaceID: client.server.workspaceID) == .synchronous)
            let atCap: JSONValue = ["operations": ["create"], "reservation_ids": Self.array(Self.cap, of: "r")]
            #expect(try await client.admin("/_sandbox/provider", ["refusals": [atCap]]).status == 200)
        }
    }

    /// Per-item errors are listed up to `SeamRequestInput.maximumRecordedErrors` paths and then only
    /// counted, so the answer stays small whatever the body holds; the message names 20 paths.
    @Test func perItemErrorsAreListedUpToABoundAndThenCounted() async throws {
        try await withSandbox { client in
            let create = try await client.post("/acs/users/create", [
                "acs_system_id": .string(SandboxTestClient.buildingA), "full_name": 7,
                "acs_access_group_ids": Self.array(Self.cap, of: "x"),
            ])
            #expect(create.status == 400 && create.errorType == "invalid_input")
            #expect(create.validationErrors("full_name") == ["Expected string, received number"])
            #expect(create.validationErrors("acs_access_group_ids", "998") == ["Invalid uuid"])
            #expect(create.validationErrors("acs_access_group_ids", "999") == [])
            #expect(create.json["error"]?["validation_errors"]?["acs_access_group_ids"]?.objectValue?.count == 1 + 999)
            #expect(create.json["error"]?["message"]?.stringValue?.hasSuffix(" and 981 more") == true)

            let rules = Self.array(200, of: ["reservation_ids": Self.array(Self.cap, of: 1)])
            let admin = try await client.admin("/_sandbox/provider", ["refusals": rules])
            #expect(admin.status == 400 && admin.errorType == "invalid_input")
            #expect(admin.validationErrors("refusals", "0", "reservation_ids", "999") == ["Expected string, received number"])
            #expect(admin.json["error"]?["validation_errors"]?["refusals"]?.objectValue?.keys.sorted() == ["0", "_errors"])
            #expect(admin.json["error"]?["message"]?.stringValue?.hasSuffix(" and \(200 * Self.cap - 20) more") == true)
        }
    }
}
