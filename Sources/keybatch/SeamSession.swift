import Foundation
import KeyBatch
import Logging
import SeamAPI
import SeamSandbox

/// One command's way to Seam: the in-process sandbox (`--sandbox`) or the configured endpoint,
/// and the client over it with the run's limiter, retries and connection pool. Shared by every
/// command that calls Seam, so each checks the key file and the transport the same way.
struct SeamSession {
    let configuration: SeamConfiguration
    let client: SeamClient
    /// The in-process sandbox, when `--sandbox` started one.
    let sandbox: SeamSandboxServer?

    var operations: SeamOperationsClient { SeamOperationsClient(client: client) }

    /// Opens the session; a configuration error (no key, a plain-http remote endpoint) throws
    /// before anything is sent (the command logs it and exits 2).
    /// - Parameter connections: the pool's size: one per request that may be in flight at once,
    ///   so a slow Seam never leaves a request waiting for a connection until it times out unsent.
    static func open(_ seam: SeamArguments, connections: Int, logger: Logger) async throws -> SeamSession {
        var sandbox: SeamSandboxServer?
        let configuration: SeamConfiguration
        if seam.sandbox {
            let server = try await SeamSandboxServer.start()
            sandbox = server
            if seam.sandboxLatency > 0 {
                server.controls.setLatency(LatencyRule(fixedMilliseconds: seam.sandboxLatency / 2, jitterMilliseconds: seam.sandboxLatency))
            }
            server.controls.setIdentityLinkRule(seam.identityLinkRule)
            logger.info("sandbox: Seam sandbox running in this process at \(server.endpoint)")
            configuration = try seam.configuration(endpoint: server.endpoint, apiKey: server.apiKey)
        } else {
            seam.warnAboutKeyFilePermissions(logger: logger)
            configuration = try seam.configuration()
        }
        let client = SeamClient(
            configuration: configuration, rateLimiter: SeamRateLimiter(rate: seam.rate, burst: seam.burst),
            retryPolicy: ExponentialBackoffRetryPolicy(maxAttempts: seam.maxAttempts),
            logger: Logger(label: "keybatch.seam"), maximumConnections: connections
        )
        return SeamSession(configuration: configuration, client: client, sandbox: sandbox)
    }

    /// Closes the client (and the sandbox), returning the run's HTTP figures.
    @discardableResult
    func close() async -> SeamCallCounts {
        let stats = client.stats.snapshot
        try? await client.shutdown()
        await sandbox?.shutdown()
        return stats
    }
}
