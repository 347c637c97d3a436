import Foundation
import Testing
@testable import SeamSandbox

@Suite struct ACSCredentialEndpointTests {
    @Test func mobileKeyForLinkedUserCarriesRequiredFields() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "m@example.com")
            let user = try await client.createACSUser(identityID: id)
            let userID = try #require(user["acs_user_id"]?.stringValue)
            let reply = try await client.post("/acs/credentials/create", [
                "acs_user_id": .string(userID), "access_method": "mobile_key", "is_multi_phone_sync_credential": true,
            ])
            #expect(reply.status == 200)
            let credential = try #require(reply.json["acs_credential"])
            #expect(credential["access_method"] == "mobile_key")
            #expect(credential["acs_user_id"]?.stringValue == userID)
            #expect(credential["acs_system_id"]?.stringValue == SandboxTestClient.buildingA)
            #expect(credential["user_identity_id"]?.stringValue == id)
            #expect(credential["is_multi_phone_sync_credential"] == true)
            #expect(credential["is_managed"] == true)
            #expect(credential["external_type"] == "salto_ks_credential")
            for field in ["acs_credential_id", "connected_account_id", "workspace_id"] {
                #expect(SeamRequestInput.isUUID(credential[field]?.stringValue ?? ""), "\(field)")
            }
            let credentialID = try #require(credential["acs_credential_id"]?.stringValue)
            let fetched = try await client.post("/acs/credentials/get", ["acs_credential_id": .string(credentialID)])
            #expect(fetched.json["acs_credential"] == credential)
            let viaGET = try await client.get("/acs/credentials/get", query: "acs_credential_id=\(credentialID)")
            #expect(viaGET.json["acs_credential"] == credential)
        }
    }

    @Test func mobileKeyWithoutUserIdentityIsRejected() async throws {
        try await withSandbox { client in
            let user = try await client.createACSUser(identityID: nil)
            let reply = try await client.post("/acs/credentials/create", ["acs_user_id": user["acs_user_id"] ?? nil, "access_method": "mobile_key"])
            #expect(reply.status == 400)
            #expect(reply.json["ok"] == false)
            let list = try await client.post("/acs/credentials/list")
            #expect(list.json["acs_credentials"] == [])
        }
    }

    @Test func createValidatesEnumAndWindowAndResolvesByIdentity() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "e@example.com")
            _ = try await client.createACSUser(identityID: id)
            let badEnum = try await client.post("/acs/credentials/create", ["user_identity_id": .string(id), "acs_system_id": .string(SandboxTestClient.buildingA), "access_method": "pigeon"])
            #expect(badEnum.status == 400 && badEnum.errorType == "invalid_input")
            #expect(badEnum.validationErrors("access_method").first?.hasPrefix("Invalid enum value") == true)
            let missing = try await client.post("/acs/credentials/create", ["user_identity_id": .string(id), "acs_system_id": .string(SandboxTestClient.buildingA)])
            #expect(missing.validationErrors("access_method") == ["Required"])
            let now = Date()
            let window = try await client.post("/acs/credentials/create", [
                "user_identity_id": .string(id), "acs_system_id": .string(SandboxTestClient.buildingA), "access_method": "mobile_key",
                "starts_at": .timestamp(now.addingTimeInterval(7200)), "ends_at": .timestamp(now.addingTimeInterval(3600)),
            ])
            #expect(window.validationErrors("ends_at") == ["ends_at must be after starts_at"])
            let ok = try await client.post("/acs/credentials/create", [
                "user_identity_id": .string(id), "acs_system_id": .string(SandboxTestClient.buildingA), "access_method": "mobile_key",
            ])
            #expect(ok.status == 200 && ok.json["acs_credential"]?["user_identity_id"]?.stringValue == id)
        }
    }

    @Test func listFiltersAndDelete() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "l@example.com")
            let userA = try #require(try await client.createACSUser(identityID: id, system: SandboxTestClient.buildingA)["acs_user_id"]?.stringValue)
            let userB = try #require(try await client.createACSUser(identityID: id, system: SandboxTestClient.buildingB)["acs_user_id"]?.stringValue)
            let multi = try await client.post("/acs/credentials/create", ["acs_user_id": .string(userA), "access_method": "mobile_key", "is_multi_phone_sync_credential": true])
            _ = try await client.post("/acs/credentials/create", ["acs_user_id": .string(userB), "access_method": "mobile_key"])
            func count(_ body: JSONValue) async throws -> Int {
                try await client.post("/acs/credentials/list", body).json["acs_credentials"]?.arrayValue?.count ?? -1
            }
            #expect(try await count([:]) == 2)
            #expect(try await count(["acs_user_id": .string(userA)]) == 1)
            #expect(try await count(["acs_system_id": .string(SandboxTestClient.buildingB)]) == 1)
            #expect(try await count(["user_identity_id": .string(id)]) == 2)
            #expect(try await count(["is_multi_phone_sync_credential": true]) == 1)
            #expect(try await count(["acs_user_id": .string(userB), "is_multi_phone_sync_credential": true]) == 0)
            let viaGET = try await client.get("/acs/credentials/list", query: "is_multi_phone_sync_credential=false")
            #expect(viaGET.json["acs_credentials"]?.arrayValue?.count == 1)
            let credentialID = try #require(multi.json["acs_credential"]?["acs_credential_id"]?.stringValue)
            #expect(try await client.post("/acs/credentials/delete", ["acs_credential_id": .string(credentialID)]).json == ["ok": true])
            #expect(try await count([:]) == 1)
            let again = try await client.post("/acs/credentials/delete", ["acs_credential_id": .string(credentialID)])
            #expect(again.status == 404 && again.errorType == "acs_credential_not_found")
        }
    }
}
