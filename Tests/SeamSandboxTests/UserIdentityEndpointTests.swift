import Foundation
import Testing
@testable import SeamSandbox

@Suite struct UserIdentityEndpointTests {
    @Test func createReturnsEveryRequiredFieldWithNullsForUnsetOnes() async throws {
        try await withSandbox { client in
            let reply = try await client.post("/user_identities/create", ["email_address": "jane@example.com"])
            #expect(reply.status == 200)
            #expect(reply.json["ok"] == true)
            let identity = try #require(reply.json["user_identity"])
            #expect(SeamRequestInput.isUUID(identity["user_identity_id"]?.stringValue ?? ""))
            #expect(identity["email_address"] == "jane@example.com")
            #expect(identity["user_identity_key"] == .null)
            #expect(identity["phone_number"] == .null)
            #expect(identity["full_name"] == .null)
            #expect(identity["display_name"] == "jane@example.com")
            #expect(identity["workspace_id"]?.stringValue == client.server.workspaceID)
            #expect(identity["acs_user_ids"] == [])
            let createdAt = try #require(identity["created_at"]?.stringValue)
            #expect(createdAt.hasSuffix("Z") && SeamTimestamp.parse(createdAt) != nil)
            for field in ["merged_user_identity_ids", "merged_user_identity_keys", "errors", "warnings"] {
                #expect(identity[field] == [], "\(field)")
            }
        }
    }

    @Test func getByIDAndByKeyAndGetForm() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "a@example.com", key: "guest-a")
            let byID = try await client.post("/user_identities/get", ["user_identity_id": .string(id)])
            let byKey = try await client.post("/user_identities/get", ["user_identity_key": "guest-a"])
            let viaGET = try await client.get("/user_identities/get", query: "user_identity_key=guest-a")
            #expect(byID.json["user_identity"]?["user_identity_id"]?.stringValue == id)
            #expect(byKey.json["user_identity"]?["user_identity_id"]?.stringValue == id)
            #expect(viaGET.json["user_identity"]?["user_identity_id"]?.stringValue == id)
            let both = try await client.post("/user_identities/get", ["user_identity_id": .string(id), "user_identity_key": "guest-a"])
            #expect(both.status == 400 && both.errorType == "invalid_input")
            let missing = try await client.post("/user_identities/get", ["user_identity_key": "nobody"])
            #expect(missing.status == 404 && missing.errorType == "user_identity_not_found")
        }
    }

    @Test func conflictsOnEmailPhoneAndKeyNameTheField() async throws {
        try await withSandbox { client in
            _ = try await client.createIdentity(email: "dup@example.com", key: "k1", phone: "+15555550100")
            let email = try await client.post("/user_identities/create", ["email_address": "DUP@example.com"])
            #expect(email.status == 400 && email.errorType == "user_identity_email_or_phone_conflict")
            #expect(email.json["error"]?["message"]?.stringValue?.contains("email_address") == true)
            let phone = try await client.post("/user_identities/create", ["phone_number": "+15555550100"])
            #expect(phone.status == 400 && phone.json["error"]?["message"]?.stringValue?.contains("phone_number") == true)
            let key = try await client.post("/user_identities/create", ["user_identity_key": "k1"])
            #expect(key.status == 400 && key.errorType == "user_identity_key_conflict")
            #expect(key.json["error"]?["message"]?.stringValue?.contains("user_identity_key") == true)
            let list = try await client.post("/user_identities/list")
            #expect(list.json["user_identities"]?.arrayValue?.count == 1)
        }
    }

    @Test func updateChangesClearsAndChecksConflicts() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "one@example.com", fullName: "One")
            _ = try await client.createIdentity(email: "two@example.com")
            let update = try await client.post("/user_identities/update", ["user_identity_id": .string(id), "user_identity_key": "key-one", "full_name": nil])
            #expect(update.status == 200 && update.json == ["ok": true])
            let fetched = try await client.post("/user_identities/get", ["user_identity_id": .string(id)])
            #expect(fetched.json["user_identity"]?["user_identity_key"] == "key-one")
            #expect(fetched.json["user_identity"]?["full_name"] == .null)
            #expect(fetched.json["user_identity"]?["email_address"] == "one@example.com")
            let conflict = try await client.post("/user_identities/update", ["user_identity_id": .string(id), "email_address": "two@example.com"])
            #expect(conflict.status == 400 && conflict.errorType == "user_identity_email_or_phone_conflict")
            let sameValue = try await client.post("/user_identities/update", ["user_identity_id": .string(id), "email_address": "one@example.com"])
            #expect(sameValue.status == 200)
            let unknown = try await client.post("/user_identities/update", ["user_identity_id": .string(UUID().uuidString.lowercased())])
            #expect(unknown.status == 404 && unknown.errorType == "user_identity_not_found")
        }
    }

    @Test func listSearchMatchesPartiallyAndCaseInsensitively() async throws {
        try await withSandbox { client in
            _ = try await client.createIdentity(email: "jane.doe@example.com", fullName: "Jane Doe")
            _ = try await client.createIdentity(email: "john@example.com", phone: "+15550001111")
            let phoneID = try await client.createIdentity(phone: "+15559998888")
            func ids(_ search: String) async throws -> Int {
                let reply = try await client.post("/user_identities/list", ["search": .string(search)])
                return reply.json["user_identities"]?.arrayValue?.count ?? -1
            }
            #expect(try await ids("JANE") == 1)
            #expect(try await ids("example.com") == 2)
            #expect(try await ids("9998") == 1)
            #expect(try await ids(String(phoneID.prefix(8))) >= 1)
            #expect(try await ids("nobody-here") == 0)
            let viaGET = try await client.get("/user_identities/list", query: "search=john")
            #expect(viaGET.json["user_identities"]?.arrayValue?.count == 1)
        }
    }

    @Test func deleteCascadesToACSUsersCredentialsAndMemberships() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "gone@example.com")
            let user = try await client.createACSUser(identityID: id, groups: [SandboxTestClient.groupA1])
            let userID = try #require(user["acs_user_id"]?.stringValue)
            let credential = try await client.post("/acs/credentials/create", ["acs_user_id": .string(userID), "access_method": "mobile_key"])
            #expect(credential.status == 200)
            let delete = try await client.post("/user_identities/delete", ["user_identity_id": .string(id)])
            #expect(delete.status == 200 && delete.json == ["ok": true])
            let userAfter = try await client.post("/acs/users/get", ["acs_user_id": .string(userID)])
            #expect(userAfter.errorType == "acs_user_not_found")
            let credentials = try await client.post("/acs/credentials/list", ["user_identity_id": .string(id)])
            #expect(credentials.json["acs_credentials"] == [])
            let members = try await client.post("/acs/access_groups/list_users", ["acs_access_group_id": .string(SandboxTestClient.groupA1)])
            #expect(members.json["acs_users"] == [])
            let again = try await client.post("/user_identities/delete", ["user_identity_id": .string(id)])
            #expect(again.status == 404 && again.errorType == "user_identity_not_found")
        }
    }
}
