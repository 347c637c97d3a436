import ArgumentParser
import Foundation
import SeamSandbox

/// `keybatch sandbox`: runs the Seam-compatible sandbox server until SIGINT/SIGTERM.
///
/// Prints where it listens as `NAME=value` lines on stdout (flushed at once) so scripts can start it
/// with `--port 0` and read the endpoint and keys back:
/// `SEAM_ENDPOINT=…`, `SEAM_API_KEY=…`, `SEAM_WORKSPACE_ID=…`, `SANDBOX_ADMIN_TOKEN=…`.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the Seam-compatible sandbox server.",
        discussion: """
            Listens on 127.0.0.1 by default. Test controls live under /_sandbox/ (admin token). \
            On any other address the built-in API key, personal access token and admin token are \
            replaced by random ones (printed below), so nobody on the network can use the published ones.
            """
    )

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port: Int = 8080

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "JSON seed file (workspaces, API keys, ACS systems, access groups); default: built-in layout.")
    var seed: String?

    @Option(help: "What the sandbox answers to a second ACS user for one user identity on one ACS system: refuse (HTTP 400, Seam's documented rule), allow, refuse-on-site (accepted, then failed_to_create_on_acs_system), relink (accepted, and the identity moves to the new user). Also settable at /_sandbox/identity_link_rule.")
    var identityRule: String = IdentityLinkRule.default.argumentName

    func validate() throws {
        // The value is not echoed: it may hold escapes a terminal would act on.
        guard IdentityLinkRule(name: identityRule) != nil else { throw ValidationError("--identity-rule must be \(SeamArguments.identityRuleNames)") }
    }

    func run() async throws {
        let layout = try seed.map { try SandboxSeed.load(from: $0) } ?? .default
        let server = try await SeamSandboxServer.start(host: host, port: port, seed: layout)
        server.controls.setIdentityLinkRule(IdentityLinkRule(name: identityRule) ?? .default)
        if !SandboxSecrets.isLoopback(host) {
            FileHandle.standardError.write(Data("sandbox: \(host) is reachable from other machines; the well-known keys are replaced by random ones\n".utf8))
        }
        print("SEAM_ENDPOINT=\(server.endpoint)")
        print("SEAM_API_KEY=\(server.apiKey)")
        print("SEAM_WORKSPACE_ID=\(server.workspaceID)")
        print("SANDBOX_ADMIN_TOKEN=\(server.adminToken)")
        fflush(nil)  // all C streams, i.e. stdout, without touching the non-Sendable global
        let signal = await Self.waitForTerminationSignal()
        FileHandle.standardError.write(Data("sandbox: received \(signal), shutting down\n".utf8))
        await server.shutdown()
        FileHandle.standardError.write(Data("sandbox: stopped\n".utf8))
    }

    /// Suspends until SIGINT or SIGTERM arrives and returns its name.
    private static func waitForTerminationSignal() async -> String {
        let (signals, continuation) = AsyncStream<String>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(name) }
            source.resume()
            sources.append(source)
        }
        var iterator = signals.makeAsyncIterator()
        let name = await iterator.next() ?? "end of signal stream"
        sources.forEach { $0.cancel() }
        return name
    }
}
