import Foundation
import Testing
@testable import SeamSandbox

@Suite struct SystemsAndGroupsEndpointTests {
    @Test func systemsGetAndListDescribeSaltoKSSites() async throws {
        try await withSandbox { client in
            let list = try await client.post("/acs/systems/list")
            let systems = try #require(list.json["acs_systems"]?.arrayValue)
            #expect(systems.compactMap { $0["name"]?.stringValue } == ["Building A", "Building B"])
            #expect(systems.allSatisfy { $0["external_type"] == "salto_ks_site" })
            let get = try await client.post("/acs/systems/get", ["acs_system_id": .string(SandboxTestClient.buildingA)])
            #expect(get.json["acs_system"]?["acs_access_group_count"] == 4)
            #expect(get.json["acs_system"]?["location"]?["time_zone"] != nil)
            let viaGET = try await client.get("/acs/systems/get", query: "acs_system_id=\(SandboxTestClient.buildingB)")
            #expect(viaGET.json["acs_system"]?["name"] == "Building B")
            let search = try await client.post("/acs/systems/list", ["search": "building b"])
            #expect(search.json["acs_systems"]?.arrayValue?.count == 1)
            let missing = try await client.post("/acs/systems/get", ["acs_system_id": .string(UUID().uuidString)])
            #expect(missing.status == 404 && missing.errorType == "acs_system_not_found")
            let notUUID = try await client.post("/acs/systems/get", ["acs_system_id": "building-a"])
            #expect(notUUID.validationErrors("acs_system_id") == ["Invalid uuid"])
        }
    }

    @Test func accessGroupsGetListAndFilter() async throws {
        try await withSandbox { client in
            let all = try await client.post("/acs/access_groups/list")
            #expect(all.json["acs_access_groups"]?.arrayValue?.count == 7)
            let inB = try await client.get("/acs/access_groups/list", query: "acs_system_id=\(SandboxTestClient.buildingB)")
            let groups = try #require(inB.json["acs_access_groups"]?.arrayValue)
            #expect(groups.count == 3)
            #expect(groups.allSatisfy { $0["external_type"] == "salto_ks_access_group" && $0["acs_system_id"]?.stringValue == SandboxTestClient.buildingB })
            let get = try await client.post("/acs/access_groups/get", ["acs_access_group_id": .string(SandboxTestClient.groupA2)])
            #expect(get.json["acs_access_group"]?["acs_access_group_id"]?.stringValue == SandboxTestClient.groupA2)
            let missing = try await client.post("/acs/access_groups/get", ["acs_access_group_id": .string(UUID().uuidString)])
            #expect(missing.status == 404 && missing.errorType == "acs_access_group_not_found")
            let listUsersMissing = try await client.post("/acs/access_groups/list_users", ["acs_access_group_id": .string(UUID().uuidString)])
            #expect(listUsersMissing.errorType == "acs_access_group_not_found")
            let unknownUser = try await client.post("/acs/access_groups/list", ["acs_user_id": .string(UUID().uuidString)])
            #expect(unknownUser.status == 404 && unknownUser.errorType == "acs_user_not_found")
        }
    }
}
