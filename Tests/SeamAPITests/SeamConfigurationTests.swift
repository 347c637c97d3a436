import Foundation
import Testing
@testable import SeamAPI

@Suite struct SeamConfigurationTests {
    private let secret = "seam_test_SuperSecret123456"

    @Test func readsEnvironmentWithDefaults() throws {
        let configuration = try SeamConfiguration.fromEnvironment(["SEAM_API_KEY": " \(secret)\n"], apiKeyFile: nil)
        #expect(configuration.apiKey == secret)
        #expect(configuration.endpoint == "https://connect.getseam.com")
        #expect(configuration.workspaceID == nil)
        #expect(configuration.connectTimeout == 10)
        #expect(configuration.requestTimeout == 30)
        #expect(!configuration.isPersonalAccessToken)
    }

    @Test func readsKeyFileEndpointAndWorkspace() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("seam-key-\(UUID().uuidString)")
        try "seam_at_personal_token\n\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try SeamConfiguration.fromEnvironment(
            ["SEAM_ENDPOINT": "http://127.0.0.1:8080/", "SEAM_WORKSPACE_ID": "ws_1", "SEAM_API_KEY": "ignored"],
            apiKeyFile: file.path)
        #expect(configuration.apiKey == "seam_at_personal_token")
        #expect(configuration.endpoint == "http://127.0.0.1:8080")
        #expect(configuration.workspaceID == "ws_1")
        #expect(configuration.isPersonalAccessToken)
    }

    @Test func rejectsMissingKeyBadEndpointAndTokenWithoutWorkspace() {
        #expect(throws: SeamConfigurationError.missingAPIKey) {
            try SeamConfiguration.fromEnvironment(["SEAM_API_KEY": "  "], apiKeyFile: nil)
        }
        #expect(throws: SeamConfigurationError.invalidEndpoint("ftp://x")) {
            try SeamConfiguration.fromEnvironment(["SEAM_API_KEY": secret, "SEAM_ENDPOINT": "ftp://x"], apiKeyFile: nil)
        }
        #expect(throws: SeamConfigurationError.missingWorkspaceIDForPersonalAccessToken) {
            try SeamConfiguration.fromEnvironment(["SEAM_API_KEY": "seam_at_x"], apiKeyFile: nil)
        }
        #expect(throws: SeamConfigurationError.unreadableAPIKeyFile(path: "/nonexistent/key")) {
            try SeamConfiguration.fromEnvironment([:], apiKeyFile: "/nonexistent/key")
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-key-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: empty, contents: Data(" \n".utf8)))
        defer { try? FileManager.default.removeItem(atPath: empty) }
        // An empty file says so, rather than "set SEAM_API_KEY" to someone who passed a file.
        #expect(throws: SeamConfigurationError.emptyAPIKeyFile(path: empty)) {
            try SeamConfiguration.fromEnvironment(["SEAM_API_KEY": secret], apiKeyFile: empty)
        }
    }

    @Test func descriptionsNeverContainTheKey() {
        let configuration = SeamConfiguration(apiKey: secret, workspaceID: "ws")
        for text in [configuration.description, configuration.debugDescription, "\(configuration)",
                     String(reflecting: configuration)] {
            #expect(!text.contains(secret))
            #expect(!text.contains("SuperSecret"))
        }
        #expect(configuration.description.contains("redacted"))
    }
}
