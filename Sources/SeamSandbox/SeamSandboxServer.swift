import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A Seam-compatible HTTP server on this machine, for tests and demos that must not touch real Seam.
///
/// It answers the Seam endpoints KeyBatch uses exactly as Seam's OpenAPI spec describes, so client
/// code that works against it works against Seam, and adds test controls (`controls`) for what
/// Seam cannot be made to do on demand: throttle, slow down, fail, or fail ambiguously.
///
/// ```swift
/// let sandbox = try await SeamSandboxServer.start()          // 127.0.0.1, a free port
/// // point the Seam client at sandbox.endpoint with sandbox.apiKey, run the code under test,
/// // then assert on sandbox.controls.counters() / dumpStateJSON()
/// await sandbox.shutdown()
/// ```
public final class SeamSandboxServer: Sendable {
    /// `http://<host>:<bound port>`.
    public let endpoint: String
    /// The bound TCP port (useful when started with port 0).
    public let port: Int
    /// The default workspace's first API key (starts with `seam_`).
    public let apiKey: String
    /// The id of the workspace `apiKey` belongs to.
    public let workspaceID: String
    /// Bearer token for `/_sandbox/...`.
    public let adminToken: String
    /// Rate limit, latency, faults, counters, state dump, reset and clock.
    public let controls: SandboxControls

    private let serviceGroup: ServiceGroup
    private let runTask: Task<Void, any Error>

    /// Why the server did not come up.
    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    private init(endpoint: String, port: Int, apiKey: String, workspaceID: String, adminToken: String, controls: SandboxControls, serviceGroup: ServiceGroup, runTask: Task<Void, any Error>) {
        self.endpoint = endpoint
        self.port = port
        self.apiKey = apiKey
        self.workspaceID = workspaceID
        self.adminToken = adminToken
        self.controls = controls
        self.serviceGroup = serviceGroup
        self.runTask = runTask
    }

    /// Starts the server and returns once it accepts connections.
    ///
    /// - Parameters:
    ///   - host: address to bind; keep the default `127.0.0.1` (tests must stay on loopback). On
    ///     any non-loopback address the well-known keys and admin token of the default seed are
    ///     replaced by random ones (`SandboxSecrets`); read them back from `apiKey`/`adminToken`.
    ///   - port: 0 picks a free port; read it back from `port` / `endpoint`.
    ///   - seed: the starting workspaces, systems and groups.
    ///   - logger: Hummingbird's logger; by default only warnings and errors are logged.
    public static func start(host: String = "127.0.0.1", port: Int = 0, seed: SandboxSeed = .default, logger: Logger? = nil) async throws -> SeamSandboxServer {
        let seed = servedSeed(seed, host: host)
        try seed.validate()
        let store = SandboxStore(seed: seed, now: Date())
        let controls = SandboxControls(store: store)
        let adminToken = seed.adminToken ?? "sandbox_admin_token"
        let responder = SandboxResponder(store: store, controls: controls, admin: SandboxAdminAPI(adminToken: adminToken, controls: controls))
        var quietLogger = Logger(label: "SeamSandbox")
        quietLogger.logLevel = .warning

        let (boundPorts, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? port)
                portContinuation.finish()
            },
            logger: logger ?? quietLogger
        )
        // Our own ServiceGroup (what `runService` builds inside) so `shutdown()` can trigger a
        // graceful shutdown: cancelling the task instead makes Hummingbird log errors.
        let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: logger ?? quietLogger))
        let runTask = Task {
            defer { portContinuation.finish() }
            try await serviceGroup.run()
        }
        var iterator = boundPorts.makeAsyncIterator()
        guard let boundPort = await iterator.next() else {
            let outcome = await runTask.result
            if case .failure(let error) = outcome {
                throw StartFailure(description: "the sandbox could not listen on \(host):\(port): \(error)")
            }
            throw StartFailure(description: "the sandbox stopped before it listened on \(host):\(port)")
        }
        let firstWorkspace = seed.workspaces[0]
        let hostInURL = host.contains(":") ? "[\(host)]" : host
        return SeamSandboxServer(
            endpoint: "http://\(hostInURL):\(boundPort)", port: boundPort,
            apiKey: firstWorkspace.apiKeys[0], workspaceID: firstWorkspace.workspaceID,
            adminToken: adminToken, controls: controls, serviceGroup: serviceGroup, runTask: runTask
        )
    }

    /// The seed as served on `host`: unchanged on loopback, without well-known secrets elsewhere.
    static func servedSeed(_ seed: SandboxSeed, host: String) -> SandboxSeed {
        SandboxSecrets.isLoopback(host) ? seed : SandboxSecrets.replacingWellKnownSecrets(in: seed)
    }

    /// Stops accepting requests, releases held (ambiguous-timeout) answers and waits for the server to end.
    public func shutdown() async {
        controls.beginShutdown()
        await serviceGroup.triggerGracefulShutdown()
        _ = await runTask.result
    }
}
