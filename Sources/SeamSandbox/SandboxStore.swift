import Foundation
import Synchronization

/// All workspaces' data behind one lock.
///
/// One `Mutex` around plain value types keeps every Seam call atomic (a create and its cascade
/// never interleave with another request) while handlers stay pure functions; the critical sections
/// are microseconds long, so a single lock does not limit throughput at the rates a sandbox sees.
final class SandboxStore: Sendable {
    let seed: SandboxSeed
    private let workspaces: Mutex<[String: WorkspaceData]>
    /// API key → workspace id (keys do not change after start).
    private let apiKeyIndex: [String: String]
    /// Personal access token → workspaces it may act on.
    private let tokenIndex: [String: Set<String>]

    init(seed: SandboxSeed, now: Date) {
        self.seed = seed
        self.workspaces = Mutex(Self.build(seed, now: now))
        var keys: [String: String] = [:]
        var tokens: [String: Set<String>] = [:]
        for workspace in seed.workspaces {
            for key in workspace.apiKeys { keys[key] = workspace.workspaceID }
            for token in workspace.personalAccessTokens ?? [] { tokens[token, default: []].insert(workspace.workspaceID) }
        }
        self.apiKeyIndex = keys
        self.tokenIndex = tokens
    }

    private static func build(_ seed: SandboxSeed, now: Date) -> [String: WorkspaceData] {
        // Seeded objects get a fixed creation time so dumps of a fresh sandbox are reproducible.
        let seededAt = Date(timeIntervalSince1970: 1_704_067_200)  // 2024-01-01T00:00:00Z
        var result: [String: WorkspaceData] = [:]
        for workspace in seed.workspaces {
            result[workspace.workspaceID] = WorkspaceData(seed: workspace, createdAt: min(seededAt, now))
        }
        return result
    }

    /// Resolves credentials to a workspace id, or explains why not (for the 401 message).
    ///
    /// An API key (`seam_…`) names its workspace; a personal access token (`seam_at…`) needs the
    /// `seam-workspace` header naming a workspace it belongs to.
    func authenticate(bearer: String?, workspaceHeader: String?) -> Result<String, SandboxErrorReply> {
        guard let bearer, !bearer.isEmpty else {
            return .failure(.unauthorized("Missing Authorization header: send 'Authorization: Bearer <api key>'."))
        }
        if let workspaceID = apiKeyIndex[bearer] { return .success(workspaceID) }
        if let allowed = tokenIndex[bearer] {
            guard let workspaceHeader, !workspaceHeader.isEmpty else {
                return .failure(.unauthorized("A personal access token needs the seam-workspace header."))
            }
            guard allowed.contains(workspaceHeader) else {
                return .failure(.unauthorized("This personal access token has no access to workspace \(workspaceHeader)."))
            }
            return .success(workspaceHeader)
        }
        return .failure(.unauthorized("Unknown API key."))
    }

    /// Runs `body` on one workspace's data under the lock.
    func withWorkspace<Result: Sendable>(_ workspaceID: String, _ body: (inout WorkspaceData) throws(SandboxErrorReply) -> Result) throws(SandboxErrorReply) -> Result {
        try workspaces.withLock { (all: inout [String: WorkspaceData]) throws(SandboxErrorReply) -> Result in
            guard all[workspaceID] != nil else {
                throw SandboxErrorReply.unauthorized("Workspace \(workspaceID) does not exist.")
            }
            return try body(&all[workspaceID]!)
        }
    }

    /// Runs `body` on the workspace that holds `objectID` (ids are UUIDs, unique across
    /// workspaces); `find` says whether a workspace holds it. Nil when none does.
    func withWorkspace<Result: Sendable>(holding find: (WorkspaceData) -> Bool, _ body: (inout WorkspaceData) throws(SandboxErrorReply) -> Result) throws(SandboxErrorReply) -> Result? {
        try workspaces.withLock { (all: inout [String: WorkspaceData]) throws(SandboxErrorReply) -> Result? in
            guard let id = all.first(where: { find($0.value) })?.key else { return nil }
            return try body(&all[id]!)
        }
    }

    /// Settles every workspace's provider events due by `now` (before a dump, so it shows what a
    /// request would see).
    func settleAll(upTo now: Date) {
        workspaces.withLock { all in
            for id in all.keys { all[id]!.settleProviderSync(upTo: now) }
        }
    }

    /// Puts every workspace back to its seeded state.
    func reset(now: Date) {
        let fresh = Self.build(seed, now: now)
        workspaces.withLock { $0 = fresh }
    }

    /// The whole state as JSON: `{"workspaces": {"<id>": {...}}}` with ISO 8601 times.
    func dump() -> Data {
        let snapshot = workspaces.withLock { $0 }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.keyEncodingStrategy = SeamKeyStyle.encoding
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(SeamTimestamp.format(date))
        }
        return (try? encoder.encode(["workspaces": snapshot])) ?? Data("{}".utf8)
    }
}
