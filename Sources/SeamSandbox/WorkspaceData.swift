import Foundation

/// Everything one Seam workspace holds. Workspaces never see each other's data: every request is
/// resolved to exactly one of these before any handler runs.
struct WorkspaceData: Encodable, Sendable {
    var workspaceID: String
    var name: String
    var connectedAccountID: String
    var apiKeys: [String]
    var personalAccessTokens: [String]
    var acsSystems: [String: ACSSystemRecord] = [:]
    var accessGroups: [String: AccessGroupRecord] = [:]
    /// Written only through `putIdentity` / `removeIdentity`, which keep the uniqueness index in step.
    private(set) var userIdentities: [String: UserIdentityRecord] = [:]
    var acsUsers: [String: ACSUserRecord] = [:]
    var credentials: [String: ACSCredentialRecord] = [:]
    var instantKeys: [String: InstantKeyRecord] = [:]
    var nextSequence: Int = 1
    /// Orders provider events (pending mutations) that settle at the same instant.
    var nextEventOrder: Int = 1
    /// ACS users and credentials with a pending provider event, and the earliest such event: the
    /// index that lets `settleProviderSync` cost nothing when nothing is pending (the default).
    var pendingObjectIDs: Set<String> = []
    var nextSettlementAt: Date?
    /// `email:<lowercased>`, `phone:<number>`, `key:<key>` → user_identity_id, so the uniqueness
    /// check on every identity create is a lookup instead of a scan over all identities.
    private(set) var identityUniqueness: [String: String] = [:]
    /// user_identity_id → the ids of the ACS users linked to it, so finding an identity's user on a
    /// system (`acs/users/create`'s one-user rule, `get`/`update`/`delete` by identity and system)
    /// costs the identity's few users instead of a scan over every user of the workspace. Kept in
    /// step by `insertACSUser`, `unlinkIdentity(ofACSUser:)` and `removeACSUser`, the only ways a
    /// user comes, loses its identity or goes; lookups re-check each entry against `acsUsers`.
    private(set) var acsUserIDsByIdentity: [String: Set<String>] = [:]

    /// The dump leaves out the derived indexes (uniqueness, identity links, pending objects).
    enum CodingKeys: String, CodingKey {
        case workspaceID, name, connectedAccountID, apiKeys, personalAccessTokens, acsSystems, accessGroups
        case userIdentities, acsUsers, credentials, instantKeys, nextSequence, nextEventOrder
    }

    /// The uniqueness-index entries an identity occupies.
    static func uniquenessKeys(email: String?, phone: String?, key: String?) -> [(field: String, indexKey: String)] {
        var keys: [(String, String)] = []
        if let email { keys.append(("email_address", "email:" + email.lowercased())) }
        if let phone { keys.append(("phone_number", "phone:" + phone)) }
        if let key { keys.append(("user_identity_key", "key:" + key)) }
        return keys
    }

    /// The identity holding `indexKey`, if any.
    func identityHolding(_ indexKey: String) -> String? {
        identityUniqueness[indexKey]
    }

    /// Stores (or replaces) an identity and keeps the uniqueness index in step.
    mutating func putIdentity(_ identity: UserIdentityRecord) {
        removeIdentity(identity.userIdentityID)
        userIdentities[identity.userIdentityID] = identity
        for entry in Self.uniquenessKeys(email: identity.emailAddress, phone: identity.phoneNumber, key: identity.userIdentityKey) {
            identityUniqueness[entry.indexKey] = identity.userIdentityID
        }
    }

    /// Removes an identity (only the identity; cascades are the caller's business).
    mutating func removeIdentity(_ id: String) {
        guard let old = userIdentities.removeValue(forKey: id) else { return }
        for entry in Self.uniquenessKeys(email: old.emailAddress, phone: old.phoneNumber, key: old.userIdentityKey)
        where identityUniqueness[entry.indexKey] == id {
            identityUniqueness[entry.indexKey] = nil
        }
    }

    // MARK: - ACS users and their identities

    /// Stores a new ACS user and indexes its identity link.
    mutating func insertACSUser(_ user: ACSUserRecord) {
        acsUsers[user.acsUserID] = user
        if let identityID = user.userIdentityID {
            acsUserIDsByIdentity[identityID, default: []].insert(user.acsUserID)
        }
    }

    /// The ACS users linked to `identityID` (on `systemID` when given), oldest first.
    func acsUsers(linkedTo identityID: String, onACSSystem systemID: String? = nil) -> [ACSUserRecord] {
        (acsUserIDsByIdentity[identityID] ?? [])
            .compactMap { acsUsers[$0] }
            .filter { $0.userIdentityID == identityID && (systemID == nil || $0.acsSystemID == systemID) }
            .sorted { $0.sequence < $1.sequence }
    }

    /// Takes an ACS user's identity away (`IdentityLinkRule.relink`): the user and its credentials
    /// stay, without `user_identity_id`, so they drop out of everything listed by identity.
    mutating func unlinkIdentity(ofACSUser id: String) {
        guard var user = acsUsers[id], let identityID = user.userIdentityID else { return }
        user.userIdentityID = nil
        acsUsers[id] = user
        forgetLink(ofACSUser: id, to: identityID)
        let credentialIDs = credentials.values.filter { $0.acsUserID == id }.map(\.acsCredentialID)
        for credentialID in credentialIDs { credentials[credentialID]?.userIdentityID = nil }
    }

    /// Deletes an ACS user and what hangs off it (credentials; memberships live on the user).
    mutating func removeACSUser(_ id: String) {
        if let identityID = acsUsers.removeValue(forKey: id)?.userIdentityID {
            forgetLink(ofACSUser: id, to: identityID)
        }
        credentials = credentials.filter { $0.value.acsUserID != id }
    }

    private mutating func forgetLink(ofACSUser id: String, to identityID: String) {
        acsUserIDsByIdentity[identityID]?.remove(id)
        if acsUserIDsByIdentity[identityID]?.isEmpty == true { acsUserIDsByIdentity[identityID] = nil }
    }

    /// Hands out the next insertion-order number.
    mutating func takeSequence() -> Int {
        defer { nextSequence += 1 }
        return nextSequence
    }

    /// Builds a workspace from its seed description.
    init(seed: SandboxSeed.Workspace, createdAt: Date) {
        workspaceID = seed.workspaceID
        name = seed.name
        connectedAccountID = seed.connectedAccountID ?? Self.derivedUUID(from: seed.workspaceID)
        apiKeys = seed.apiKeys
        personalAccessTokens = seed.personalAccessTokens ?? []
        for system in seed.acsSystems {
            acsSystems[system.acsSystemID] = ACSSystemRecord(
                acsSystemID: system.acsSystemID, name: system.name,
                externalType: system.externalType ?? "salto_ks_site", timeZone: system.timeZone,
                createdAt: createdAt, sequence: takeSequence(), subscriptionSlots: system.subscriptionSlots
            )
            for group in system.accessGroups {
                accessGroups[group.acsAccessGroupID] = AccessGroupRecord(
                    acsAccessGroupID: group.acsAccessGroupID, acsSystemID: system.acsSystemID, name: group.name,
                    externalType: group.externalType ?? "salto_ks_access_group",
                    createdAt: createdAt, sequence: takeSequence()
                )
            }
        }
    }

    /// A stable UUID-shaped id derived from another id, so a seed need not spell out every id.
    static func derivedUUID(from id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16).leftPadded(to: 16) + String(hash &* 31, radix: 16).leftPadded(to: 16)
        let chars = Array(hex)
        return "\(String(chars[0..<8]))-\(String(chars[8..<12]))-4\(String(chars[13..<16]))-8\(String(chars[17..<20]))-\(String(chars[20..<32]))"
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
