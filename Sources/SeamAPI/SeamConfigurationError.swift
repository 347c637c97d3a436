/// Why a ``SeamConfiguration`` could not be built. Never carries the key itself.
public enum SeamConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingAPIKey
    case unreadableAPIKeyFile(path: String)
    case emptyAPIKeyFile(path: String)
    case invalidEndpoint(String)
    case missingWorkspaceIDForPersonalAccessToken
    /// The key holds a character an HTTP header cannot carry (a line break, a tab, a control or
    /// non-ASCII character): every call would fail, and the transport's error would echo the
    /// header. `source` says where the key came from, `problem` what is wrong and where; neither
    /// holds any of the key.
    case unusableAPIKey(source: String, problem: String)
    /// `SEAM_WORKSPACE_ID` holds a character an HTTP header cannot carry.
    case unusableWorkspaceID(problem: String)

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
        case .unusableAPIKey(let source, let problem):
            "The Seam API key in \(source) cannot be sent in an HTTP header: it holds \(problem) (the key is not shown); "
                + "a Seam key is one line of visible ASCII, check how it was copied"
        case .unusableWorkspaceID(let problem):
            "SEAM_WORKSPACE_ID cannot be sent in an HTTP header: it holds \(problem)"
        }
    }
}
