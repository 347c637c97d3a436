import Foundation
import Testing
@testable import SeamSandbox

@Suite struct SandboxSecretsTests {
    @Test func loopbackAddressesAreRecognised() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"] {
            #expect(SandboxSecrets.isLoopback(host), "\(host)")
        }
        for host in ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "127.0.0", "127.0.0.1.5", "128.0.0.1", ""] {
            #expect(!SandboxSecrets.isLoopback(host), "\(host)")
        }
    }

    @Test func wellKnownSecretsAreReplacedAndOwnOnesKept() {
        let replaced = SandboxSecrets.replacingWellKnownSecrets(in: .default)
        let known = SandboxSeed.default
        #expect(replaced.adminToken != known.adminToken && replaced.adminToken?.hasPrefix("sandbox_admin_") == true)
        #expect(replaced.workspaces[0].apiKeys[0] != known.workspaces[0].apiKeys[0])
        #expect(replaced.workspaces[0].apiKeys[0].hasPrefix("seam_") && replaced.workspaces[0].apiKeys[0].count > 30)
        #expect(replaced.workspaces[0].personalAccessTokens?[0].hasPrefix("seam_at_") == true)
        #expect(replaced.workspaces[0].personalAccessTokens != known.workspaces[0].personalAccessTokens)
        #expect(replaced.workspaces[0].acsSystems == known.workspaces[0].acsSystems)
        #expect(SandboxSecrets.replacingWellKnownSecrets(in: .default).workspaces[0].apiKeys != replaced.workspaces[0].apiKeys)
        #expect(throws: Never.self) { try replaced.validate() }

        var own = SandboxSeed.default
        own.adminToken = "my_admin"
        own.workspaces[0].apiKeys = ["seam_mine"]
        own.workspaces[0].personalAccessTokens = nil
        let kept = SandboxSecrets.replacingWellKnownSecrets(in: own)
        #expect(kept.adminToken == "my_admin" && kept.workspaces[0].apiKeys == ["seam_mine"])
    }

    @Test func theServerSwapsSecretsOnlyOffLoopback() {
        // Decided without binding: tests stay on 127.0.0.1.
        #expect(SeamSandboxServer.servedSeed(.default, host: "127.0.0.1") == .default)
        #expect(SeamSandboxServer.servedSeed(.default, host: "localhost") == .default)
        let exposed = SeamSandboxServer.servedSeed(.default, host: "0.0.0.0")
        #expect(exposed.adminToken != SandboxSeed.default.adminToken)
        #expect(exposed.workspaces[0].apiKeys != SandboxSeed.default.workspaces[0].apiKeys)
    }
}
