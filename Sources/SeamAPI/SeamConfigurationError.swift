/// Why a ``SeamConfiguration`` could not be built. Never carries the key itself.
public enum SeamConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingAPIKey
    case unreadableAPIKeyFile(path: String)
    case emptyAPIKeyFile(path: String)
    case invalidEndpoint(String)
    case missingWorkspaceIDForPersonalAccessToken

    public var description: String {
        switch self {
        case .missingAPIKey:
            "No Seam API key: set SEAM_API_KEY or pass an API key file"
        case .unreadableAPIKeyFile(let path):
            "Cannot read the Seam API key file at \(path)"
        case .emptyAPIKeyFile(let path):
            "The Seam API key file \(path) is empty"
        case .invalidEndpoint(let endpoint):
            "SEAM_ENDPOINT is not an http(s) URL: \(endpoint)"
        case .missingWorkspaceIDForPersonalAccessToken:
            "A Seam personal access token (seam_at…) needs SEAM_WORKSPACE_ID"
        }
    }
}
