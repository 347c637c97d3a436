import Foundation

/// `/acs/credentials/*`.
extension SeamEndpoints {
    static let accessMethods = ["code", "card", "mobile_key", "cloud_key"]

    static func createCredential(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let accessMethod = input.enumValue("access_method", allowed: accessMethods, required: true)
        let isMultiPhone = input.bool("is_multi_phone_sync_credential") ?? false
        let code = input.string("code", format: .digits).value
        let startsAt = input.date("starts_at").value
        let endsAt = input.date("ends_at").value
        _ = input.uuidArray("allowed_acs_entrance_ids")
        _ = input.uuid("credential_manager_acs_system_id")
        checkWindow(startsAt: startsAt, endsAt: endsAt, now: context.now, endsAtField: "ends_at", input: &input)
        let user = try resolveACSUser(&input, in: workspace)
        guard let accessMethod else { throw SandboxErrorReply.invalidInput(field: "access_method", "Required") }
        if accessMethod == "mobile_key", user.userIdentityID == nil {
            throw SandboxErrorReply.invalidInput(
                field: "acs_user_id",
                "A mobile_key credential needs an ACS user linked to a user identity; acs_user \(user.acsUserID) has none"
            )
        }
        let credential = ACSCredentialRecord(
            acsCredentialID: newID(), acsUserID: user.acsUserID, acsSystemID: user.acsSystemID,
            userIdentityID: user.userIdentityID, accessMethod: accessMethod, isMultiPhoneSyncCredential: isMultiPhone,
            code: code, startsAt: startsAt, endsAt: endsAt, createdAt: context.now, sequence: workspace.takeSequence()
        )
        workspace.credentials[credential.acsCredentialID] = credential
        workspace.scheduleIssuing(credential: credential.acsCredentialID, context: context)
        let settled = workspace.credentials[credential.acsCredentialID] ?? credential
        return ok("acs_credential", SeamResourceRenderer.credential(settled, in: workspace))
    }

    static func getCredential(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let credential = try resolveCredential(&input, in: workspace)
        return ok("acs_credential", SeamResourceRenderer.credential(credential, in: workspace))
    }

    static func deleteCredential(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let credential = try resolveCredential(&input, in: workspace)
        workspace.scheduleDeletion(credential: credential.acsCredentialID, context: context)
        return okOnly
    }

    static func listCredentials(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let userID = input.uuid("acs_user_id")
        let systemID = input.uuid("acs_system_id")
        let identityID = input.uuid("user_identity_id")
        let isMultiPhone = input.bool("is_multi_phone_sync_credential")
        let search = input.string("search", minLength: 1).value
        let createdBefore = input.date("created_before").value
        let pagination = SeamPagination(reading: &input, integerLimit: false, maxPageSize: context.maxPageSize)
        try input.throwIfInvalid()
        let matching = workspace.credentials.values.filter { credential in
            if let userID, credential.acsUserID != userID { return false }
            if let systemID, credential.acsSystemID != systemID { return false }
            if let identityID, credential.userIdentityID != identityID { return false }
            if let isMultiPhone, credential.isMultiPhoneSyncCredential != isMultiPhone { return false }
            if let createdBefore, credential.createdAt >= createdBefore { return false }
            if let search, !matches(search, credential.acsCredentialID, credential.code, credential.accessMethod) { return false }
            return true
        }
        let page = pagination.page(of: Array(matching), sequence: \.sequence, input: input, context: context)
        return .object([
            "ok": .bool(true),
            "acs_credentials": .array(page.items.map { SeamResourceRenderer.credential($0, in: workspace) }),
            "pagination": page.pagination,
        ])
    }

    private static func resolveCredential(_ input: inout SeamRequestInput, in workspace: WorkspaceData) throws(SandboxErrorReply) -> ACSCredentialRecord {
        let id = input.uuid("acs_credential_id", required: true)
        try input.throwIfInvalid()
        guard let id, let credential = workspace.credentials[id] else { throw SandboxErrorReply.notFound("acs_credential", id: id ?? "") }
        return credential
    }
}
