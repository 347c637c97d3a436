/// What Seam holds on one ACS system, read in bulk: every user and every credential (all pages),
/// and the members of each access group (one call per group), so an export costs pages and
/// groups, never a call per user.
public struct ACSSystemInventory: Sendable {
    public var acsSystemID: String
    public var users: [ACSUserState]
    public var keysByUser: [String: [CredentialState]]
    public var groupsByUser: [String: Set<String>]

    public static func read(_ acsSystemID: String, operations: any SeamOperations) async throws -> ACSSystemInventory {
        let users = try await operations.acsUserStates(onACSSystem: acsSystemID)
        var keysByUser: [String: [CredentialState]] = [:]
        for key in try await operations.credentialStates(onACSSystem: acsSystemID) {
            if let user = key.acsUserID { keysByUser[user, default: []].append(key) }
        }
        var groupsByUser: [String: Set<String>] = [:]
        for group in try await operations.accessGroupIDs(onACSSystem: acsSystemID).sorted() {
            for user in try await operations.acsUserIDs(inAccessGroup: group) { groupsByUser[user, default: []].insert(group) }
        }
        return ACSSystemInventory(acsSystemID: acsSystemID, users: users, keysByUser: keysByUser, groupsByUser: groupsByUser)
    }
}
