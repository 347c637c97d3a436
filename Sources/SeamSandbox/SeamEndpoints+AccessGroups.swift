import Foundation

/// `/acs/access_groups/*` (groups come from the seed; memberships change through `/acs/users/*`).
extension SeamEndpoints {
    static func getAccessGroup(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let group = try resolveAccessGroup(&input, in: workspace)
        return ok("acs_access_group", SeamResourceRenderer.accessGroup(group, in: workspace))
    }

    static func listAccessGroups(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let systemID = input.uuid("acs_system_id")
        let userID = input.uuid("acs_user_id")
        let identityID = input.uuid("user_identity_id")
        let search = input.string("search", minLength: 1).value
        try input.throwIfInvalid()
        var memberOf: Set<String>?
        if let userID {
            guard let user = workspace.acsUsers[userID] else { throw SandboxErrorReply.notFound("acs_user", id: userID) }
            memberOf = Set(user.accessGroupIDs)
        }
        if let identityID {
            let groups = workspace.acsUsers(linkedTo: identityID).flatMap(\.accessGroupIDs)
            memberOf = (memberOf ?? Set(groups)).intersection(groups)
        }
        let groups = workspace.accessGroups.values.filter { group in
            if let systemID, group.acsSystemID != systemID { return false }
            if let memberOf, !memberOf.contains(group.acsAccessGroupID) { return false }
            if let search, !matches(search, group.name, group.acsAccessGroupID) { return false }
            return true
        }.sorted { $0.sequence < $1.sequence }
        return ok("acs_access_groups", .array(groups.map { SeamResourceRenderer.accessGroup($0, in: workspace) }))
    }

    static func listAccessGroupUsers(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let group = try resolveAccessGroup(&input, in: workspace)
        let users = workspace.acsUsers.values
            .filter { $0.accessGroupIDs.contains(group.acsAccessGroupID) }
            .sorted { $0.sequence < $1.sequence }
        return ok("acs_users", .array(users.map { SeamResourceRenderer.acsUser($0, in: workspace, now: context.now) }))
    }

    private static func resolveAccessGroup(_ input: inout SeamRequestInput, in workspace: WorkspaceData) throws(SandboxErrorReply) -> AccessGroupRecord {
        let id = input.uuid("acs_access_group_id", required: true)
        try input.throwIfInvalid()
        guard let id, let group = workspace.accessGroups[id] else { throw SandboxErrorReply.notFound("acs_access_group", id: id ?? "") }
        return group
    }
}
