import Foundation

/// What people change in Seam's console (or Seam's staff) behind the client's back, so tests can
/// check that a client trusts what Seam says now over what it remembers ("Seam is the truth").
///
/// Every change is immediate (no sync delay, no refusal, no pending mutation: the site already
/// has it), is not a request by the workspace's API key (counters do not move), and cancels what
/// the client had pending for the same thing. Ids are UUIDs, unique across workspaces, so no
/// workspace needs naming. Reach it as `SandboxControls.console`, or over HTTP under
/// `/_sandbox/console/...`.
public struct SandboxConsole: Sendable {
    let store: SandboxStore
    let clock: @Sendable () -> Date

    /// Deletes an ACS user and its credentials at once (as if never there).
    ///
    /// - Throws: `acs_user_not_found`.
    public func deleteACSUser(_ acsUserID: String) throws(SandboxErrorReply) {
        try withACSUser(acsUserID) { workspace, _ in workspace.removeACSUser(acsUserID) }
    }

    /// Deletes a credential at once.
    ///
    /// - Throws: `acs_credential_not_found`.
    public func deleteCredential(_ acsCredentialID: String) throws(SandboxErrorReply) {
        let now = clock()
        let found = try store.withWorkspace(holding: { $0.credentials[acsCredentialID] != nil }) { (workspace: inout WorkspaceData) throws(SandboxErrorReply) -> Bool in
            workspace.settleProviderSync(upTo: now)
            let existed = workspace.credentials.removeValue(forKey: acsCredentialID) != nil
            return existed
        }
        guard found == true else { throw SandboxErrorReply.notFound("acs_credential", id: acsCredentialID) }
    }

    /// Sets an ACS user's access schedule (drops a pending schedule update of the client).
    ///
    /// - Throws: `acs_user_not_found`, or `invalid_input` when `endsAt` is not after `startsAt`.
    public func setAccessSchedule(startsAt: Date, endsAt: Date?, acsUserID: String) throws(SandboxErrorReply) {
        if let endsAt, endsAt <= startsAt {
            throw SandboxErrorReply.invalidInput(field: "access_schedule.ends_at", "ends_at must be after starts_at")
        }
        try withACSUser(acsUserID) { workspace, user in
            user.accessSchedule = ACSUserRecord.AccessSchedule(startsAt: startsAt, endsAt: endsAt)
            user.pendingMutations.removeAll { $0.change.isAccessScheduleUpdate }
        }
    }

    /// Removes an ACS user's access schedule (the user may enter at any time).
    ///
    /// - Throws: `acs_user_not_found`.
    public func removeAccessSchedule(acsUserID: String) throws(SandboxErrorReply) {
        try withACSUser(acsUserID) { workspace, user in
            user.accessSchedule = nil
            user.pendingMutations.removeAll { $0.change.isAccessScheduleUpdate }
        }
    }

    /// Takes an ACS user out of an access group (a no-op when it is not a member; drops a pending
    /// membership change of that group).
    ///
    /// - Throws: `acs_user_not_found`, `acs_access_group_not_found`.
    public func removeFromAccessGroup(acsUserID: String, acsAccessGroupID: String) throws(SandboxErrorReply) {
        try withACSUser(acsUserID) { (workspace: inout WorkspaceData, user: inout ACSUserRecord) throws(SandboxErrorReply) in
            guard workspace.accessGroups[acsAccessGroupID] != nil else {
                throw SandboxErrorReply.notFound("acs_access_group", id: acsAccessGroupID)
            }
            user.accessGroupIDs.removeAll { $0 == acsAccessGroupID }
            user.pendingMutations.removeAll { $0.change.concernsGroup(acsAccessGroupID) }
        }
    }

    /// Puts an ACS user into an access group of its system (a no-op when it is a member; drops a
    /// pending membership change of that group), as staff would, or as the site leaves it when it
    /// rolls a refused removal back and a later change clears the error.
    ///
    /// - Throws: `acs_user_not_found`, `acs_access_group_not_found` (also for a group of another system).
    public func addToAccessGroup(acsUserID: String, acsAccessGroupID: String) throws(SandboxErrorReply) {
        try withACSUser(acsUserID) { (workspace: inout WorkspaceData, user: inout ACSUserRecord) throws(SandboxErrorReply) in
            guard workspace.accessGroups[acsAccessGroupID]?.acsSystemID == user.acsSystemID else {
                throw SandboxErrorReply.notFound("acs_access_group", id: acsAccessGroupID)
            }
            if !user.accessGroupIDs.contains(acsAccessGroupID) { user.accessGroupIDs.append(acsAccessGroupID) }
            user.pendingMutations.removeAll { $0.change.concernsGroup(acsAccessGroupID) }
        }
    }

    /// Puts an ACS user into an error (replacing an older one with the same code), created now.
    ///
    /// - Throws: `acs_user_not_found`.
    public func addError(_ code: ACSUserErrorCode, message: String? = nil, acsUserID: String) throws(SandboxErrorReply) {
        let now = clock()
        try withACSUser(acsUserID) { _, user in user.record(code, message: message, at: now) }
    }

    /// Runs `change` on the user (after settling what is due), storing the user back unless the
    /// change removed it.
    private func withACSUser(_ id: String, _ change: (inout WorkspaceData, inout ACSUserRecord) throws(SandboxErrorReply) -> Void) throws(SandboxErrorReply) {
        let now = clock()
        let found = try store.withWorkspace(holding: { $0.acsUsers[id] != nil }) { (workspace: inout WorkspaceData) throws(SandboxErrorReply) -> Bool in
            workspace.settleProviderSync(upTo: now)
            guard var user = workspace.acsUsers[id] else { return false }
            try change(&workspace, &user)
            if workspace.acsUsers[id] != nil { workspace.acsUsers[id] = user }
            return true
        }
        guard found == true else { throw SandboxErrorReply.notFound("acs_user", id: id) }
    }
}
