import Foundation
import Testing
@testable import SeamSandbox

@Suite struct WorkspaceIsolationTests {
    static let otherWorkspace = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
    static let otherSystem = "2c4e6a8b-1d3f-4b5a-9c7e-0f2a4c6e8b1d"

    static var twoWorkspaces: SandboxSeed {
        var seed = SandboxSeed.default
        seed.workspaces.append(.init(
            workspaceID: otherWorkspace, name: "Other", apiKeys: ["seam_other_key"],
            acsSystems: [.init(acsSystemID: otherSystem, name: "Other site", accessGroups: [])]
        ))
        return seed
    }

    @Test func workspacesSeeOnlyTheirOwnData() async throws {
        try await withSandbox(seed: Self.twoWorkspaces) { client in
            let id = try await client.createIdentity(email: "shared@example.com")
            let otherSystems = try await client.post("/acs/systems/list", key: "seam_other_key")
            #expect(otherSystems.json["acs_systems"]?.arrayValue?.compactMap { $0["acs_system_id"]?.stringValue } == [Self.otherSystem])
            let crossGet = try await client.post("/user_identities/get", ["user_identity_id": .string(id)], key: "seam_other_key")
            #expect(crossGet.status == 404 && crossGet.errorType == "user_identity_not_found")
            let crossSystem = try await client.post("/acs/systems/get", ["acs_system_id": .string(SandboxTestClient.buildingA)], key: "seam_other_key")
            #expect(crossSystem.status == 404)
            // The same email is free in another workspace.
            let sameEmail = try await client.post("/user_identities/create", ["email_address": "shared@example.com"], key: "seam_other_key")
            #expect(sameEmail.status == 200)
            #expect(sameEmail.json["user_identity"]?["workspace_id"]?.stringValue == Self.otherWorkspace)
            let defaultList = try await client.post("/user_identities/list")
            #expect(defaultList.json["user_identities"]?.arrayValue?.count == 1)
        }
    }

    @Test func rateLimitIsPerWorkspace() async throws {
        try await withSandbox(seed: Self.twoWorkspaces) { (client: SandboxTestClient) async throws in
            client.server.controls.setRateLimit(RateLimit(requestsPerSecond: 0.01, burst: 1), workspaceID: client.server.workspaceID)
            #expect(try await client.post("/acs/systems/list").status == 200)
            #expect(try await client.post("/acs/systems/list").status == 429)
            #expect(try await client.post("/acs/systems/list", key: "seam_other_key").status == 200)
            #expect(try await client.post("/acs/systems/list", key: "seam_other_key").status == 200)
        }
    }
}
