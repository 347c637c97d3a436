import ArgumentParser
import Foundation
import Logging
import SeamAPI
import SeamSandbox

/// How to reach Seam. The key comes from `SEAM_API_KEY` (or a file), never from a flag, so it
/// does not end up in shell history or `ps` output.
struct SeamArguments: ParsableArguments {
    @Option(help: "Read the API key from this file instead of SEAM_API_KEY.")
    var apiKeyFile: String?

    @Option(help: "Requests per second to Seam, shared by every row in flight.")
    var rate: Double = SeamRateLimiter.defaultRate

    @Option(help: "Requests Seam allows at once above --rate; half of them are sent at once at most, the rest absorbs requests that leave together and arrive apart.")
    var burst: Double = SeamRateLimiter.defaultBurst

    @Option(help: "Attempts per Seam call, first one included.")
    var maxAttempts: Int = 5

    @Option(help: "Seconds to wait for a connection to Seam.")
    var connectTimeout: Double = SeamConfiguration.defaultConnectTimeout

    @Option(help: "Seconds to wait for Seam to answer one request.")
    var requestTimeout: Double = SeamConfiguration.defaultRequestTimeout

    @Flag(help: "Start the built-in Seam sandbox in this process (seeded for samples/) and run against it.")
    var sandbox = false

    @Option(help: "With --sandbox: milliseconds the sandbox takes to answer a call, on average (spread evenly from half to one and a half times it), to try a run at a real Seam's pace.")
    var sandboxLatency: Double = 0

    @Option(help: "With --sandbox: what the sandbox answers to a second ACS user for one guest (user identity) on one site: refuse (HTTP 400, Seam's documented one user per identity and site), allow, refuse-on-site (accepted, then failed_to_create_on_acs_system), relink (accepted, and the guest's identity moves to the new user). Default: refuse.")
    var sandboxIdentityRule: String?

    @Flag(help: "Allow a plain-http SEAM_ENDPOINT on another host (the API key would cross the network in clear text).")
    var allowInsecureEndpoint = false

    func validate() throws {
        // Finite, sane bounds: an infinite timeout or a rate of 1e-300 traps or never lets a run stop.
        guard rate.isFinite, rate >= 0.1, rate <= 10_000 else { throw ValidationError("--rate must be between 0.1 and 10000 requests per second") }
        guard burst.isFinite, burst >= 1, burst <= 10_000 else { throw ValidationError("--burst must be between 1 and 10000") }
        guard maxAttempts >= 1 && maxAttempts <= 20 else { throw ValidationError("--max-attempts must be between 1 and 20") }
        for (flag, seconds) in [("--connect-timeout", connectTimeout), ("--request-timeout", requestTimeout)] {
            guard seconds.isFinite, seconds > 0, seconds <= 3600 else { throw ValidationError("\(flag) must be between 0 and 3600 seconds") }
        }
        guard sandboxLatency.isFinite, sandboxLatency >= 0, sandboxLatency <= 60_000 else {
            throw ValidationError("--sandbox-latency must be between 0 and 60000 milliseconds")
        }
        if sandboxLatency > 0, !sandbox { throw ValidationError("--sandbox-latency needs --sandbox") }
        if let sandboxIdentityRule {
            // The value is not echoed: it may hold escapes a terminal would act on.
            guard IdentityLinkRule(name: sandboxIdentityRule) != nil else { throw ValidationError("--sandbox-identity-rule must be \(Self.identityRuleNames)") }
            guard sandbox else { throw ValidationError("--sandbox-identity-rule needs --sandbox") }
        }
    }

    /// The sandbox's rule for a second ACS user per identity and site (`--sandbox-identity-rule`).
    var identityLinkRule: IdentityLinkRule {
        sandboxIdentityRule.flatMap(IdentityLinkRule.init(name:)) ?? .default
    }

    /// `refuse, allow, refuse-on-site or relink`, for usage errors.
    static var identityRuleNames: String {
        let names = IdentityLinkRule.allCases.map(\.argumentName)
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// A key file others can read is a key others have: said once, before the run. The file's own
    /// mode, through links (a Kubernetes Secret mount is a link to the real file).
    func warnAboutKeyFilePermissions(logger: Logger) {
        guard let apiKeyFile, let mode = FileIdentity(path: apiKeyFile)?.permissions, mode & 0o044 != 0 else { return }
        let who = mode & 0o004 != 0 ? "every user" : "its group"
        logger.warning("the API key file \(apiKeyFile) is readable by \(who) (mode \(String(mode, radix: 8))); chmod 600 it")
    }

    /// Refuses to send the key in clear text to another machine: `http://` only on loopback.
    static func checkTransport(of endpoint: String, allowInsecure: Bool) throws {
        guard let url = URL(string: endpoint), url.scheme?.lowercased() == "http", !allowInsecure else { return }
        if !SandboxSecrets.isLoopback(url.host ?? "") {
            throw ValidationError("SEAM_ENDPOINT \(endpoint) is plain http on another host: the API key would cross the network in clear text; use https, or --allow-insecure-endpoint")
        }
    }

    /// Seam's settings from the environment, as Seam's SDKs read them.
    func configuration(endpoint: String? = nil, apiKey: String? = nil) throws -> SeamConfiguration {
        var configuration: SeamConfiguration
        if let endpoint, let apiKey {
            configuration = SeamConfiguration(apiKey: apiKey, endpoint: endpoint)
        } else {
            configuration = try SeamConfiguration.fromEnvironment(ProcessInfo.processInfo.environment, apiKeyFile: apiKeyFile)
            try Self.checkTransport(of: configuration.endpoint, allowInsecure: allowInsecureEndpoint)
        }
        configuration.connectTimeout = connectTimeout
        configuration.requestTimeout = requestTimeout
        return configuration
    }
}
