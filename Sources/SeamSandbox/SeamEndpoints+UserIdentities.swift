import Foundation

/// `/user_identities/*`.
extension SeamEndpoints {
    static func createUserIdentity(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let key = input.string("user_identity_key", nullable: true, minLength: 1).value
        let email = input.string("email_address", nullable: true, format: .email).value
        let phone = input.string("phone_number", nullable: true).value
        let fullName = input.string("full_name", nullable: true, minLength: 1).value
        let systemIDs = input.uuidArray("acs_system_ids") ?? []
        try input.throwIfInvalid()
        for systemID in systemIDs where workspace.acsSystems[systemID] == nil {
            throw SandboxErrorReply.notFound("acs_system", id: systemID)
        }
        try checkIdentityConflicts(key: key, email: email, phone: phone, excluding: nil, in: workspace)
        let identity = UserIdentityRecord(
            userIdentityID: newID(), userIdentityKey: key, emailAddress: email, phoneNumber: phone, fullName: fullName,
            acsSystemIDs: systemIDs, createdAt: context.now, sequence: workspace.takeSequence()
        )
        workspace.putIdentity(identity)
        return ok("user_identity", SeamResourceRenderer.userIdentity(identity, in: workspace))
    }

    static func getUserIdentity(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let id = input.uuid("user_identity_id")
        let key = input.string("user_identity_key", minLength: 1).value
        let sent = input.presentFields
        if sent.contains("user_identity_id") == sent.contains("user_identity_key") {
            input.fail("user_identity_id", "Provide exactly one of user_identity_id or user_identity_key")
        }
        try input.throwIfInvalid()
        let identity = id.flatMap { workspace.userIdentities[$0] }
            ?? key.flatMap { workspace.identityHolding("key:" + $0) }.flatMap { workspace.userIdentities[$0] }
        guard let identity else { throw SandboxErrorReply.notFound("user_identity", id: id ?? key ?? "") }
        return ok("user_identity", SeamResourceRenderer.userIdentity(identity, in: workspace))
    }

    static func listUserIdentities(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let search = input.string("search", minLength: 1).value
        let ids = input.uuidArray("user_identity_ids").map(Set.init)
        let managerSystemID = input.uuid("credential_manager_acs_system_id")
        let createdBefore = input.date("created_before").value
        let pagination = SeamPagination(reading: &input, maxPageSize: context.maxPageSize)
        try input.throwIfInvalid()
        let matching = workspace.userIdentities.values.filter { identity in
            if let ids, !ids.contains(identity.userIdentityID) { return false }
            if let managerSystemID, !identity.acsSystemIDs.contains(managerSystemID) { return false }
            if let createdBefore, identity.createdAt >= createdBefore { return false }
            if let search, !matches(search, identity.fullName, identity.emailAddress, identity.phoneNumber, identity.userIdentityID, identity.userIdentityKey) {
                return false
            }
            return true
        }
        let page = pagination.page(of: Array(matching), sequence: \.sequence, input: input, context: context)
        return .object([
            "ok": .bool(true),
            "user_identities": .array(page.items.map { SeamResourceRenderer.userIdentity($0, in: workspace) }),
            "pagination": page.pagination,
        ])
    }

    static func updateUserIdentity(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let id = input.uuid("user_identity_id", required: true)
        let key = input.string("user_identity_key", nullable: true, minLength: 1)
        let email = input.string("email_address", nullable: true, format: .email)
        let phone = input.string("phone_number", nullable: true)
        let fullName = input.string("full_name", nullable: true, minLength: 1)
        try input.throwIfInvalid()
        guard let id, var identity = workspace.userIdentities[id] else { throw SandboxErrorReply.notFound("user_identity", id: id ?? "") }
        try checkIdentityConflicts(key: key.value, email: email.value, phone: phone.value, excluding: id, in: workspace)
        if !key.isAbsent { identity.userIdentityKey = key.value }
        if !email.isAbsent { identity.emailAddress = email.value }
        if !phone.isAbsent { identity.phoneNumber = phone.value }
        if !fullName.isAbsent { identity.fullName = fullName.value }
        workspace.putIdentity(identity)
        return okOnly
    }

    static func deleteUserIdentity(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let id = input.uuid("user_identity_id", required: true)
        try input.throwIfInvalid()
        guard let id, workspace.userIdentities[id] != nil else { throw SandboxErrorReply.notFound("user_identity", id: id ?? "") }
        workspace.removeIdentity(id)
        for user in workspace.acsUsers(linkedTo: id) {
            workspace.removeACSUser(user.acsUserID)
        }
        workspace.credentials = workspace.credentials.filter { $0.value.userIdentityID != id }
        workspace.instantKeys = workspace.instantKeys.filter { $0.value.userIdentityID != id }
        return okOnly
    }

    /// Email, phone and key must each be unique in the workspace; `excluding` is the identity being updated.
    static func checkIdentityConflicts(key: String?, email: String?, phone: String?, excluding: String?, in workspace: WorkspaceData) throws(SandboxErrorReply) {
        for entry in WorkspaceData.uniquenessKeys(email: email, phone: phone, key: key) {
            guard let holder = workspace.identityHolding(entry.indexKey), holder != excluding else { continue }
            let value = entry.field == "email_address" ? email : entry.field == "phone_number" ? phone : key
            let type = entry.field == "user_identity_key" ? "user_identity_key_conflict" : "user_identity_email_or_phone_conflict"
            throw SandboxErrorReply(status: 400, type: type, message: "A user identity with \(entry.field) \(value ?? "") already exists in this workspace.")
        }
    }
}
