import ArgumentParser
import Foundation
import SeamAPI

/// How to reach Seam. The key comes from `SEAM_API_KEY` (or a file), never from a flag, so it
/// does not end up in shell history or `ps` output.
struct SeamArguments: ParsableArguments {
    @Option(help: "Read the API key from this file instead of SEAM_API_KEY.")
    var apiKeyFile: String?

    @Option(help: "Requests per second to Seam, shared by every row in flight.")
    var rate: Double = SeamRateLimiter.defaultRate

    @Option(help: "Requests that may be sent at once above --rate.")
    var burst: Double = SeamRateLimiter.defaultBurst

    @Option(help: "Attempts per Seam call, first one included.")
    var maxAttempts: Int = 5

    @Option(help: "Seconds to wait for a connection to Seam.")
    var connectTimeout: Double = SeamConfiguration.defaultConnectTimeout

    @Option(help: "Seconds to wait for Seam to answer one request.")
    var requestTimeout: Double = SeamConfiguration.defaultRequestTimeout

    @Flag(help: "Start the built-in Seam sandbox in this process (seeded for samples/) and run against it.")
    var sandbox = false

    func validate() throws {
        guard rate > 0, burst >= 1 else { throw ValidationError("--rate must be positive and --burst at least 1") }
        guard maxAttempts >= 1 && maxAttempts <= 20 else { throw ValidationError("--max-attempts must be between 1 and 20") }
        guard connectTimeout > 0, requestTimeout > 0 else { throw ValidationError("timeouts must be positive") }
    }

    /// Seam's settings from the environment, as Seam's SDKs read them.
    func configuration(endpoint: String? = nil, apiKey: String? = nil) throws -> SeamConfiguration {
        var configuration: SeamConfiguration
        if let endpoint, let apiKey {
            configuration = SeamConfiguration(apiKey: apiKey, endpoint: endpoint)
        } else {
            configuration = try SeamConfiguration.fromEnvironment(ProcessInfo.processInfo.environment, apiKeyFile: apiKeyFile)
        }
        configuration.connectTimeout = connectTimeout
        configuration.requestTimeout = requestTimeout
        return configuration
    }
}
