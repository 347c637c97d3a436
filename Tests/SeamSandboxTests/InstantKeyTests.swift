import Foundation
import Testing
@testable import SeamSandbox

@Suite struct InstantKeyTests {
    @Test func generatesAnInstantKeyForAnIdentity() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let identity = try await client.createIdentity(email: "ik@example.com")
            let reply = try await client.post("/user_identities/generate_instant_key", ["user_identity_id": .string(identity), "max_use_count": 3])
            #expect(reply.status == 200)
            let key = try #require(reply.json["instant_key"])
            #expect(key["user_identity_id"]?.stringValue == identity)
            #expect(key["workspace_id"]?.stringValue == client.server.workspaceID)
            #expect(key["created_at"] == timestamp(SandboxTestClient.start))
            let expiresAt = try #require(SeamTimestamp.parse(key["expires_at"]?.stringValue ?? ""))
            #expect((28 * 86_400...31 * 86_400).contains(expiresAt.timeIntervalSince(SandboxTestClient.start)))
            #expect(key["instant_key_url"]?.stringValue?.hasPrefix("https://ik.seam.co/") == true)
            for field in ["instant_key_id", "client_session_id"] {
                #expect(SeamRequestInput.isUUID(key[field]?.stringValue ?? ""), "\(field)")
            }
            #expect(key["customization_profile_id"] == nil)
            let stored = client.controls.dumpStateJSON()["workspaces"]?[client.server.workspaceID]?["instant_keys"]
            #expect(stored?[key["instant_key_id"]?.stringValue ?? ""]?["max_use_count"] == 3)
        }
    }

    @Test func errorsFollowTheSpec() async throws {
        try await withSandbox { client in
            let missing = try await client.post("/user_identities/generate_instant_key", [:])
            #expect(missing.status == 400 && missing.validationErrors("user_identity_id") == ["Required"])
            let badCount = try await client.post("/user_identities/generate_instant_key", ["user_identity_id": "00000000-0000-4000-8000-000000000000", "max_use_count": "two"])
            #expect(badCount.status == 400 && badCount.validationErrors("max_use_count") == ["Expected number, received string"])
            let unknown = try await client.post("/user_identities/generate_instant_key", ["user_identity_id": "00000000-0000-4000-8000-000000000000"])
            #expect(unknown.status == 404 && unknown.errorType == "user_identity_not_found")
            let identity = try await client.createIdentity(email: "p@example.com")
            let profile = try await client.post("/user_identities/generate_instant_key", [
                "user_identity_id": .string(identity), "customization_profile_id": "00000000-0000-4000-8000-000000000001",
            ])
            #expect(profile.status == 404 && profile.errorType == "customization_profile_not_found")
            #expect(try await client.get("/user_identities/generate_instant_key").status == 405)
        }
    }

    @Test func deletingTheIdentityDropsItsInstantKeys() async throws {
        try await withSandbox { client in
            let identity = try await client.createIdentity(email: "gone@example.com")
            _ = try await client.post("/user_identities/generate_instant_key", ["user_identity_id": .string(identity)])
            _ = try await client.post("/user_identities/delete", ["user_identity_id": .string(identity)])
            #expect(client.controls.dumpStateJSON()["workspaces"]?[client.server.workspaceID]?["instant_keys"] == [:])
        }
    }

    @Test func aSiteSetToRefuseInstantKeysRefusesThemForItsUsersOnly() async throws {
        try await withSandbox { client in
            let onA = try await client.createIdentity(email: "a@example.com")
            _ = try await client.createACSUser(identityID: onA, system: SandboxTestClient.buildingA)
            let onB = try await client.createIdentity(email: "b@example.com")
            _ = try await client.createACSUser(identityID: onB, system: SandboxTestClient.buildingB, fullName: "reservation-2")
            let set = try await client.admin("/_sandbox/acs_system", ["acs_system_id": .string(SandboxTestClient.buildingB), "instant_keys_refused": true])
            #expect(set.status == 200)

            let refused = try await client.post("/user_identities/generate_instant_key", ["user_identity_id": .string(onB)])
            #expect(refused.status == 400 && refused.errorType == "instant_keys_not_supported")
            #expect(refused.headers.first(name: "seam-request-id") != nil)
            let granted = try await client.post("/user_identities/generate_instant_key", ["user_identity_id": .string(onA)])
            #expect(granted.status == 200)

            let badFlag = try await client.admin("/_sandbox/acs_system", ["acs_system_id": .string(SandboxTestClient.buildingB), "instant_keys_refused": "yes"])
            #expect(badFlag.status == 400)
            try client.controls.setInstantKeysRefused(false, acsSystemID: SandboxTestClient.buildingB)
            #expect(try await client.post("/user_identities/generate_instant_key", ["user_identity_id": .string(onB)]).status == 200)
        }
    }
}
