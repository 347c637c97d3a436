import Foundation
import Testing
@testable import SeamSandbox

@Suite struct ACSUserEndpointTests {
    @Test func createWithGroupsLinksIdentityAndAddsMemberships() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "jane@example.com", fullName: "Jane")
            let start = Date().addingTimeInterval(-3600)
            let user = try await client.createACSUser(
                identityID: id, fullName: "3333122-433", schedule: (start, start.addingTimeInterval(86_400)),
                groups: [SandboxTestClient.groupA1, SandboxTestClient.groupA2]
            )
            #expect(user["full_name"] == "3333122-433")
            #expect(user["user_identity_id"]?.stringValue == id)
            #expect(user["user_identity_email_address"] == "jane@example.com")
            #expect(user["user_identity_full_name"] == "Jane")
            #expect(user["user_identity_phone_number"] == .null)
            #expect(user["acs_system_id"]?.stringValue == SandboxTestClient.buildingA)
            #expect(user["is_managed"] == true)
            #expect(user["external_type"] == "salto_site_user")
            #expect(user["access_schedule"]?["ends_at"]?.stringValue?.hasSuffix("Z") == true)
            let userID = try #require(user["acs_user_id"]?.stringValue)
            let groups = try await client.post("/acs/access_groups/list", ["acs_user_id": .string(userID)])
            let groupIDs = Set(groups.json["acs_access_groups"]?.arrayValue?.compactMap { $0["acs_access_group_id"]?.stringValue } ?? [])
            #expect(groupIDs == [SandboxTestClient.groupA1, SandboxTestClient.groupA2])
            let identity = try await client.post("/user_identities/get", ["user_identity_id": .string(id)])
            #expect(identity.json["user_identity"]?["acs_user_ids"] == [.string(userID)])
        }
    }

    @Test func createRejectsMissingFieldsUnknownSystemAndForeignGroup() async throws {
        try await withSandbox { client in
            let missing = try await client.post("/acs/users/create", [:])
            #expect(missing.status == 400 && missing.errorType == "invalid_input")
            #expect(missing.validationErrors("acs_system_id") == ["Required"])
            #expect(missing.validationErrors("full_name") == ["Required"])
            let badType = try await client.post("/acs/users/create", ["acs_system_id": 42, "full_name": "x"])
            #expect(badType.validationErrors("acs_system_id") == ["Expected string, received number"])
            let unknownSystem = try await client.post("/acs/users/create", ["acs_system_id": .string(UUID().uuidString), "full_name": "x"])
            #expect(unknownSystem.status == 404 && unknownSystem.errorType == "acs_system_not_found")
            let foreignGroup = try await client.post("/acs/users/create", [
                "acs_system_id": .string(SandboxTestClient.buildingA), "full_name": "x",
                "acs_access_group_ids": [.string(SandboxTestClient.groupB1)],
            ])
            #expect(foreignGroup.status == 400 && foreignGroup.errorType == "invalid_input")
            let unknownIdentity = try await client.post("/acs/users/create", [
                "acs_system_id": .string(SandboxTestClient.buildingA), "full_name": "x", "user_identity_id": .string(UUID().uuidString),
            ])
            #expect(unknownIdentity.status == 404 && unknownIdentity.errorType == "user_identity_not_found")
        }
    }

    @Test func scheduleMustEndAfterStartAndInTheFuture() async throws {
        try await withSandbox { client in
            let now = Date()
            let base: [String: JSONValue] = ["acs_system_id": .string(SandboxTestClient.buildingA), "full_name": "x"]
            var reversed = base
            reversed["access_schedule"] = ["starts_at": .timestamp(now.addingTimeInterval(7200)), "ends_at": .timestamp(now.addingTimeInterval(3600))]
            let reply = try await client.post("/acs/users/create", .object(reversed))
            #expect(reply.status == 400 && reply.errorType == "invalid_input")
            #expect(reply.validationErrors("access_schedule", "ends_at") == ["ends_at must be after starts_at"])
            var past = base
            past["access_schedule"] = ["starts_at": .timestamp(now.addingTimeInterval(-7200)), "ends_at": .timestamp(now.addingTimeInterval(-3600))]
            let pastReply = try await client.post("/acs/users/create", .object(past))
            #expect(pastReply.validationErrors("access_schedule", "ends_at") == ["ends_at must be in the future"])
            var badDate = base
            badDate["access_schedule"] = ["starts_at": "tomorrow"]
            let badDateReply = try await client.post("/acs/users/create", .object(badDate))
            #expect(badDateReply.validationErrors("access_schedule", "starts_at") == ["Invalid datetime"])
        }
    }

    @Test func getByIdentityAndSystemAndListFilters() async throws {
        try await withSandbox { client in
            let jane = try await client.createIdentity(email: "jane@example.com")
            let joe = try await client.createIdentity(email: "joe@example.com")
            let janeA = try await client.createACSUser(identityID: jane, system: SandboxTestClient.buildingA)
            _ = try await client.createACSUser(identityID: jane, system: SandboxTestClient.buildingB)
            _ = try await client.createACSUser(identityID: joe, system: SandboxTestClient.buildingA)
            let byPair = try await client.post("/acs/users/get", ["user_identity_id": .string(jane), "acs_system_id": .string(SandboxTestClient.buildingA)])
            #expect(byPair.json["acs_user"]?["acs_user_id"] == janeA["acs_user_id"])
            let viaGET = try await client.get("/acs/users/get", query: "acs_user_id=\(janeA["acs_user_id"]?.stringValue ?? "")")
            #expect(viaGET.status == 200)
            func count(_ body: JSONValue) async throws -> Int {
                try await client.post("/acs/users/list", body).json["acs_users"]?.arrayValue?.count ?? -1
            }
            #expect(try await count([:]) == 3)
            #expect(try await count(["acs_system_id": .string(SandboxTestClient.buildingA)]) == 2)
            #expect(try await count(["user_identity_id": .string(jane)]) == 2)
            #expect(try await count(["user_identity_email_address": "joe@example.com"]) == 1)
            #expect(try await count(["acs_system_id": .string(SandboxTestClient.buildingB), "user_identity_id": .string(joe)]) == 0)
            let neither = try await client.post("/acs/users/get", [:])
            #expect(neither.status == 400 && neither.errorType == "invalid_input")
            let unknown = try await client.post("/acs/users/get", ["acs_user_id": .string(UUID().uuidString)])
            #expect(unknown.status == 404 && unknown.errorType == "acs_user_not_found")
        }
    }

    @Test func updateChangesScheduleAndName() async throws {
        try await withSandbox { client in
            let user = try await client.createACSUser(identityID: nil, fullName: "before")
            let userID = try #require(user["acs_user_id"]?.stringValue)
            let startsAt = Date().addingTimeInterval(86_400)
            let update = try await client.post("/acs/users/update", [
                "acs_user_id": .string(userID), "full_name": "after",
                "access_schedule": ["starts_at": .timestamp(startsAt), "ends_at": .timestamp(startsAt.addingTimeInterval(3600))],
            ])
            #expect(update.status == 200 && update.json == ["ok": true])
            let fetched = try await client.post("/acs/users/get", ["acs_user_id": .string(userID)])
            #expect(fetched.json["acs_user"]?["full_name"] == "after")
            #expect(fetched.json["acs_user"]?["access_schedule"]?["starts_at"] == .timestamp(startsAt))
            let missingEnd = try await client.post("/acs/users/update", ["acs_user_id": .string(userID), "access_schedule": ["starts_at": .timestamp(startsAt)]])
            #expect(missingEnd.validationErrors("access_schedule", "ends_at") == ["Required"])
        }
    }

    @Test func membershipChangesAreIdempotent() async throws {
        try await withSandbox { client in
            let user = try await client.createACSUser(identityID: nil)
            let userID = try #require(user["acs_user_id"]?.stringValue)
            let add: JSONValue = ["acs_user_id": .string(userID), "acs_access_group_id": .string(SandboxTestClient.groupA1)]
            #expect(try await client.post("/acs/users/add_to_access_group", add).json == ["ok": true])
            #expect(try await client.post("/acs/users/add_to_access_group", add).json == ["ok": true])
            let members = try await client.post("/acs/access_groups/list_users", ["acs_access_group_id": .string(SandboxTestClient.groupA1)])
            #expect(members.json["acs_users"]?.arrayValue?.count == 1)
            let wrongSystem = try await client.post("/acs/users/add_to_access_group", ["acs_user_id": .string(userID), "acs_access_group_id": .string(SandboxTestClient.groupB1)])
            #expect(wrongSystem.status == 400)
            let unknownGroup = try await client.post("/acs/users/add_to_access_group", ["acs_user_id": .string(userID), "acs_access_group_id": .string(UUID().uuidString)])
            #expect(unknownGroup.status == 404 && unknownGroup.errorType == "acs_access_group_not_found")
            #expect(try await client.post("/acs/users/remove_from_access_group", add).json == ["ok": true])
            #expect(try await client.post("/acs/users/remove_from_access_group", add).json == ["ok": true])
            let after = try await client.post("/acs/access_groups/list_users", ["acs_access_group_id": .string(SandboxTestClient.groupA1)])
            #expect(after.json["acs_users"] == [])
        }
    }

    @Test func removeFromGroupByUserIdentity() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "r@example.com")
            _ = try await client.createACSUser(identityID: id, groups: [SandboxTestClient.groupA1])
            let remove = try await client.post("/acs/users/remove_from_access_group", ["user_identity_id": .string(id), "acs_access_group_id": .string(SandboxTestClient.groupA1)])
            #expect(remove.status == 200)
            let members = try await client.post("/acs/access_groups/list_users", ["acs_access_group_id": .string(SandboxTestClient.groupA1)])
            #expect(members.json["acs_users"] == [])
        }
    }

    @Test func deleteRemovesCredentialsAndMemberships() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "d@example.com")
            let user = try await client.createACSUser(identityID: id, groups: [SandboxTestClient.groupA1])
            let userID = try #require(user["acs_user_id"]?.stringValue)
            let credential = try await client.post("/acs/credentials/create", ["acs_user_id": .string(userID), "access_method": "mobile_key"])
            let credentialID = try #require(credential.json["acs_credential"]?["acs_credential_id"]?.stringValue)
            let delete = try await client.post("/acs/users/delete", ["acs_user_id": .string(userID)])
            #expect(delete.json == ["ok": true])
            let gone = try await client.post("/acs/credentials/get", ["acs_credential_id": .string(credentialID)])
            #expect(gone.status == 404 && gone.errorType == "acs_credential_not_found")
            let members = try await client.post("/acs/access_groups/list_users", ["acs_access_group_id": .string(SandboxTestClient.groupA1)])
            #expect(members.json["acs_users"] == [])
            let identity = try await client.post("/user_identities/get", ["user_identity_id": .string(id)])
            #expect(identity.status == 200 && identity.json["user_identity"]?["acs_user_ids"] == [])
            let again = try await client.post("/acs/users/delete", ["acs_user_id": .string(userID)])
            #expect(again.status == 404 && again.errorType == "acs_user_not_found")
        }
    }
}
