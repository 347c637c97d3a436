import Foundation
import Testing
@testable import SeamSandbox

@Suite struct SeedTests {
    /// samples/listings.csv, found from this file so the test runs from any working directory.
    static let listingsURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples/listings.csv")

    @Test func defaultSeedHasExactlyTheSystemsAndGroupsOfListingsCSV() throws {
        let text = try String(contentsOf: Self.listingsURL, encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(!rows.isEmpty)
        var expected: [String: Set<String>] = [:]
        for row in rows { expected[row[1], default: []].insert(row[2]) }
        let workspace = try #require(SandboxSeed.default.workspaces.first)
        #expect(SandboxSeed.default.workspaces.count == 1)
        var actual: [String: Set<String>] = [:]
        for system in workspace.acsSystems {
            #expect(system.externalType == "salto_ks_site")
            actual[system.acsSystemID] = Set(system.accessGroups.map(\.acsAccessGroupID))
        }
        #expect(actual == expected)
        #expect(workspace.apiKeys.first?.hasPrefix("seam_") == true)
        try SandboxSeed.default.validate()
    }

    @Test func loadsAndValidatesSeedFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("seed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.json")
        try Data("""
        {"admin_token": "adm", "workspaces": [{"workspace_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "name": "W",
          "api_keys": ["seam_k1"], "acs_systems": [{"acs_system_id": "2c4e6a8b-1d3f-4b5a-9c7e-0f2a4c6e8b1d", "name": "S",
          "access_groups": [{"acs_access_group_id": "3d5f7b9c-2e4a-4c6b-8d0f-1a3c5e7a9b2d", "name": "G"}]}]}]}
        """.utf8).write(to: good)
        let seed = try SandboxSeed.load(from: good.path)
        #expect(seed.adminToken == "adm")
        #expect(seed.workspaces[0].acsSystems[0].accessGroups[0].name == "G")

        let badKey = directory.appendingPathComponent("bad.json")
        try Data("""
        {"workspaces": [{"workspace_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "name": "W", "api_keys": ["nope"], "acs_systems": []}]}
        """.utf8).write(to: badKey)
        #expect(throws: SandboxSeed.InvalidSeed.self) { try SandboxSeed.load(from: badKey.path) }
    }

    @Test func customSeedIsServed() async throws {
        let seed = SandboxSeed(adminToken: "adm", workspaces: [.init(
            workspaceID: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", name: "W", apiKeys: ["seam_custom"],
            acsSystems: [.init(acsSystemID: "2c4e6a8b-1d3f-4b5a-9c7e-0f2a4c6e8b1d", name: "Custom site", accessGroups: [])]
        )])
        try await withSandbox(seed: seed) { client in
            #expect(client.server.apiKey == "seam_custom" && client.server.adminToken == "adm")
            let systems = try await client.post("/acs/systems/list")
            #expect(systems.json["acs_systems"]?.arrayValue?.first?["name"] == "Custom site")
        }
    }
}
