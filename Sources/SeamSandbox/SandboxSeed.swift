import Foundation

/// The starting layout of a sandbox: its workspaces, their API keys, ACS systems and access groups.
///
/// The default layout is compiled in (so a shipped `keybatch` binary needs no sample files) and uses
/// the exact system and group ids of `samples/listings.csv`. `--seed FILE` loads another layout from
/// JSON in this shape (optional fields may be left out):
///
/// ```json
/// {
///   "admin_token": "sandbox_admin_...",                  // optional; default "sandbox_admin_token"
///   "workspaces": [{
///     "workspace_id": "<uuid>", "name": "Hotel group",
///     "api_keys": ["seam_..."],                           // each must start with "seam_"
///     "personal_access_tokens": ["seam_at..."],           // optional; used with a seam-workspace header
///     "connected_account_id": "<uuid>",                   // optional; derived from workspace_id
///     "acs_systems": [{
///       "acs_system_id": "<uuid>", "name": "Building A",
///       "external_type": "salto_ks_site",                 // optional; default salto_ks_site
///       "time_zone": "Europe/Paris",                      // optional
///       "subscription_slots": 50,                         // optional; Salto KS slots, default unlimited
///       "access_groups": [{"acs_access_group_id": "<uuid>", "name": "Main entrance",
///                          "external_type": "salto_ks_access_group"}]   // external_type optional
///     }]
///   }]
/// }
/// ```
public struct SandboxSeed: Codable, Sendable, Equatable {
    public struct AccessGroup: Codable, Sendable, Equatable {
        public var acsAccessGroupID: String
        public var name: String
        public var externalType: String?

        public init(acsAccessGroupID: String, name: String, externalType: String? = nil) {
            self.acsAccessGroupID = acsAccessGroupID
            self.name = name
            self.externalType = externalType
        }

        enum CodingKeys: String, CodingKey {
            case acsAccessGroupID = "acs_access_group_id", name, externalType = "external_type"
        }
    }

    public struct ACSSystem: Codable, Sendable, Equatable {
        public var acsSystemID: String
        public var name: String
        public var externalType: String?
        public var timeZone: String?
        public var accessGroups: [AccessGroup]
        /// Salto KS subscription slots of the site; nil (the default): unlimited.
        public var subscriptionSlots: Int?

        public init(acsSystemID: String, name: String, externalType: String? = nil, timeZone: String? = nil,
                    accessGroups: [AccessGroup], subscriptionSlots: Int? = nil) {
            self.acsSystemID = acsSystemID
            self.name = name
            self.externalType = externalType
            self.timeZone = timeZone
            self.accessGroups = accessGroups
            self.subscriptionSlots = subscriptionSlots
        }

        enum CodingKeys: String, CodingKey {
            case acsSystemID = "acs_system_id", name, externalType = "external_type", timeZone = "time_zone"
            case accessGroups = "access_groups", subscriptionSlots = "subscription_slots"
        }
    }

    public struct Workspace: Codable, Sendable, Equatable {
        public var workspaceID: String
        public var name: String
        public var apiKeys: [String]
        public var personalAccessTokens: [String]?
        public var connectedAccountID: String?
        public var acsSystems: [ACSSystem]

        public init(workspaceID: String, name: String, apiKeys: [String], personalAccessTokens: [String]? = nil,
                    connectedAccountID: String? = nil, acsSystems: [ACSSystem]) {
            self.workspaceID = workspaceID
            self.name = name
            self.apiKeys = apiKeys
            self.personalAccessTokens = personalAccessTokens
            self.connectedAccountID = connectedAccountID
            self.acsSystems = acsSystems
        }

        enum CodingKeys: String, CodingKey {
            case workspaceID = "workspace_id", name, apiKeys = "api_keys"
            case personalAccessTokens = "personal_access_tokens", connectedAccountID = "connected_account_id"
            case acsSystems = "acs_systems"
        }
    }

    public var adminToken: String?
    public var workspaces: [Workspace]

    public init(adminToken: String? = nil, workspaces: [Workspace]) {
        self.adminToken = adminToken
        self.workspaces = workspaces
    }

    enum CodingKeys: String, CodingKey {
        case adminToken = "admin_token", workspaces
    }

    /// Why a seed file was refused.
    public struct InvalidSeed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a seed from a JSON file and checks it (ids are UUIDs and unique, keys start with `seam_`).
    public static func load(from path: String) throws -> SandboxSeed {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let seed = try JSONDecoder().decode(SandboxSeed.self, from: data)
        try seed.validate()
        return seed
    }

    /// Checks the invariants the server relies on.
    public func validate() throws {
        guard !workspaces.isEmpty else { throw InvalidSeed(description: "a seed needs at least one workspace") }
        var ids = Set<String>()
        var keys = Set<String>()
        func unique(_ id: String, _ what: String) throws {
            guard SeamRequestInput.isUUID(id) else { throw InvalidSeed(description: "\(what) \(id) is not a UUID") }
            guard ids.insert(id.lowercased()).inserted else { throw InvalidSeed(description: "\(what) \(id) is used twice") }
        }
        for workspace in workspaces {
            try unique(workspace.workspaceID, "workspace_id")
            guard !workspace.apiKeys.isEmpty else { throw InvalidSeed(description: "workspace \(workspace.workspaceID) has no api_keys") }
            for key in workspace.apiKeys + (workspace.personalAccessTokens ?? []) {
                guard key.hasPrefix("seam_") else { throw InvalidSeed(description: "key \(key) does not start with seam_") }
                guard keys.insert(key).inserted else { throw InvalidSeed(description: "key \(key) is used twice") }
            }
            for system in workspace.acsSystems {
                try unique(system.acsSystemID, "acs_system_id")
                if let slots = system.subscriptionSlots, !(0...SandboxControls.maximumSubscriptionSlots).contains(slots) {
                    throw InvalidSeed(description: "subscription_slots of \(system.acsSystemID) must be in 0...\(SandboxControls.maximumSubscriptionSlots)")
                }
                for group in system.accessGroups { try unique(group.acsAccessGroupID, "acs_access_group_id") }
            }
        }
    }

    /// The compiled-in layout: one workspace, one Salto KS site per building and the access groups
    /// that `samples/listings.csv` names, with exactly its ids.
    public static let `default` = SandboxSeed(
        adminToken: "sandbox_admin_token",
        workspaces: [
            Workspace(
                workspaceID: "0f7c2a4e-8d1b-4e6a-9c3f-5b2d7e1a4c90",
                name: "KeyBatch sandbox",
                apiKeys: ["seam_sandbox_key_0f7c2a4e"],
                personalAccessTokens: ["seam_at_sandbox_pat_0f7c2a4e"],
                connectedAccountID: "a3e1c5d7-2b4f-4a6c-8e0d-1f3b5d7f9a2c",
                acsSystems: [
                    ACSSystem(
                        acsSystemID: "11111111-1111-1111-1111-111111111111", name: "Building A",
                        externalType: "salto_ks_site", timeZone: "Europe/Paris",
                        accessGroups: [
                            AccessGroup(acsAccessGroupID: "55555555-5555-5555-5555-555555555555", name: "Building A main entrance"),
                            AccessGroup(acsAccessGroupID: "66666666-6666-6666-6666-666666666666", name: "Unit 2222222-2222"),
                            AccessGroup(acsAccessGroupID: "3b6c1f0e-2d4a-4c8e-9f71-5a2b8d0e6c13", name: "Unit A-101"),
                            AccessGroup(acsAccessGroupID: "c8e2a7d4-61f3-4b09-8d5e-2f7a1c9b4e60", name: "Unit A-102"),
                        ]
                    ),
                    ACSSystem(
                        acsSystemID: "7d3f5a2e-9c41-4b8e-a6d2-0f5e8c1b3a97", name: "Building B",
                        externalType: "salto_ks_site", timeZone: "Europe/Paris",
                        accessGroups: [
                            AccessGroup(acsAccessGroupID: "b1f4c6d2-7e83-4a5f-9c10-6d2e8f3a5b71", name: "Building B main entrance"),
                            AccessGroup(acsAccessGroupID: "4f7e2b9a-0c6d-4d13-b8e5-1a9c3f6d2e87", name: "Unit B-201"),
                            AccessGroup(acsAccessGroupID: "e4a9d3c7-2b5f-4e81-a6c0-9f1d7b2e8c34", name: "Building B parking"),
                        ]
                    ),
                ]
            ),
        ]
    )
}
