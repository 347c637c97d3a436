/// Keeps a sandbox that other machines can reach from answering to the keys everyone knows.
///
/// The compiled-in seed's API key, personal access token and admin token are printed in the
/// README and the tests: fine on 127.0.0.1, where only this machine can call, but on any other
/// address they would let anyone on the network drive the sandbox (and its `/_sandbox` controls).
/// `SeamSandboxServer.start` therefore swaps them for random ones whenever it binds elsewhere.
public enum SandboxSecrets {
    /// Whether `host` only accepts connections from this machine: `localhost`, `127.0.0.0/8`, `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare == "::1" || bare == "0:0:0:0:0:0:0:1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    /// `seed` with every well-known secret (the default seed's API keys, personal access tokens and
    /// admin token, or no admin token at all) replaced by a random one of the same kind.
    public static func replacingWellKnownSecrets(in seed: SandboxSeed) -> SandboxSeed {
        let known = SandboxSeed.default
        let knownKeys = Set(known.workspaces.flatMap { $0.apiKeys + ($0.personalAccessTokens ?? []) })
        var result = seed
        if result.adminToken == nil || result.adminToken == known.adminToken {
            result.adminToken = "sandbox_admin_" + randomHex()
        }
        for index in result.workspaces.indices {
            result.workspaces[index].apiKeys = result.workspaces[index].apiKeys.map { key in
                knownKeys.contains(key) ? "seam_" + randomHex() : key
            }
            result.workspaces[index].personalAccessTokens = result.workspaces[index].personalAccessTokens?.map { token in
                knownKeys.contains(token) ? "seam_at_" + randomHex() : token
            }
        }
        return result
    }

    /// 32 random hex digits (128 bits from the system's secure generator).
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let digits = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
