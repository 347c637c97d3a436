import Foundation

/// Everything the client needs to reach one Seam workspace.
///
/// The API key is a bearer secret: `description` and `debugDescription` redact it so that
/// printing or logging a configuration (or an error that embeds one) can never leak it.
public struct SeamConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Seam's production endpoint, used unless `SEAM_ENDPOINT` says otherwise.
    public static let defaultEndpoint = "https://connect.getseam.com"
    /// Time allowed to open a TCP/TLS connection.
    public static let defaultConnectTimeout: TimeInterval = 10
    /// Time allowed for one HTTP attempt, the same 30 s that Seam's JavaScript SDK uses.
    public static let defaultRequestTimeout: TimeInterval = 30

    /// Bearer secret (`seam_…`, or `seam_at…` for a personal access token).
    public var apiKey: String
    /// Base URL without a trailing slash, e.g. `https://connect.getseam.com`.
    public var endpoint: String
    /// Workspace sent as `seam-workspace`; required with a personal access token.
    public var workspaceID: String?
    /// Connection-establishment timeout in seconds.
    public var connectTimeout: TimeInterval
    /// Whole-attempt timeout in seconds (request sent, response fully read).
    public var requestTimeout: TimeInterval

    public init(
        apiKey: String,
        endpoint: String = SeamConfiguration.defaultEndpoint,
        workspaceID: String? = nil,
        connectTimeout: TimeInterval = SeamConfiguration.defaultConnectTimeout,
        requestTimeout: TimeInterval = SeamConfiguration.defaultRequestTimeout
    ) {
        self.apiKey = apiKey
        var trimmedEndpoint = endpoint.trimmingCharacters(in: .whitespacesAndNewlines)
        while trimmedEndpoint.hasSuffix("/") { trimmedEndpoint.removeLast() }
        self.endpoint = trimmedEndpoint
        self.workspaceID = workspaceID
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }

    /// A personal access token acts for a person across workspaces, so Seam needs the
    /// `seam-workspace` header to know which workspace a call targets.
    public var isPersonalAccessToken: Bool { apiKey.hasPrefix("seam_at") }

    /// Builds a configuration from environment variables, with the key optionally read from a file
    /// (so it need not appear in a process listing or shell history).
    ///
    /// - `SEAM_API_KEY` or the trimmed contents of `apiKeyFile` (the file wins when both are given,
    ///   because passing a file is the more explicit choice).
    /// - `SEAM_ENDPOINT` (default ``defaultEndpoint``), `SEAM_WORKSPACE_ID`.
    /// - Throws ``SeamConfigurationError`` when no key is found, the file is unreadable, the endpoint
    ///   is not an http(s) URL, or a personal access token comes without a workspace id.
    public static func fromEnvironment(
        _ environment: [String: String],
        apiKeyFile: String?
    ) throws -> SeamConfiguration {
        let key: String
        if let apiKeyFile {
            let contents: String
            do {
                contents = try String(contentsOfFile: apiKeyFile, encoding: .utf8)
            } catch {
                throw SeamConfigurationError.unreadableAPIKeyFile(path: apiKeyFile)
            }
            key = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw SeamConfigurationError.emptyAPIKeyFile(path: apiKeyFile) }
        } else {
            key = (environment["SEAM_API_KEY"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !key.isEmpty else { throw SeamConfigurationError.missingAPIKey }
        if let problem = headerValueProblem(key) {
            throw SeamConfigurationError.unusableAPIKey(source: apiKeyFile.map { "the file \($0)" } ?? "SEAM_API_KEY", problem: problem)
        }

        let endpoint = nonEmpty(environment["SEAM_ENDPOINT"]) ?? defaultEndpoint
        guard let url = URL(string: endpoint), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", url.host != nil
        else { throw SeamConfigurationError.invalidEndpoint(endpoint) }

        let configuration = SeamConfiguration(
            apiKey: key,
            endpoint: endpoint,
            workspaceID: nonEmpty(environment["SEAM_WORKSPACE_ID"])
        )
        if configuration.isPersonalAccessToken && configuration.workspaceID == nil {
            throw SeamConfigurationError.missingWorkspaceIDForPersonalAccessToken
        }
        if let workspaceID = configuration.workspaceID, let problem = headerValueProblem(workspaceID) {
            throw SeamConfigurationError.unusableWorkspaceID(problem: problem)
        }
        return configuration
    }

    /// What makes `value` unfit for an HTTP header as Seam's credentials are written (one line of
    /// visible ASCII, no space), or nil when it is fit. Checked once at start: a key with a line
    /// break or a tab inside (a file saved with a wrapped line) would fail every call, and
    /// async-http-client's error for it quotes the whole `Authorization` header. The answer names
    /// the kind of character and its place (1-based), never the characters around it.
    public static func headerValueProblem(_ value: String) -> String? {
        for (offset, scalar) in value.unicodeScalars.enumerated() {
            let what: String
            switch scalar.value {
            case 0x21...0x7E: continue
            case 0x0A, 0x0D: what = "a line break"
            case 0x09: what = "a tab"
            case 0x20: what = "a space"
            case 0x00...0x1F, 0x7F...0x9F: what = "a control character"
            default: what = "a non-ASCII character"
            }
            return "\(what) at character \(offset + 1)"
        }
        return nil
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    /// Shows only the key's kind and length, enough to tell which credential was loaded.
    public var redactedAPIKey: String {
        let kind = isPersonalAccessToken ? "seam_at" : (apiKey.hasPrefix("seam_") ? "seam_" : "")
        return "\(kind)<redacted \(apiKey.count) chars>"
    }

    public var description: String {
        "SeamConfiguration(endpoint: \(endpoint), workspaceID: \(workspaceID ?? "nil"), apiKey: \(redactedAPIKey), "
            + "connectTimeout: \(connectTimeout)s, requestTimeout: \(requestTimeout)s)"
    }

    public var debugDescription: String { description }
}
