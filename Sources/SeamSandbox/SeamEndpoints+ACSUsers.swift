import Foundation

/// `/acs/users/*`.
extension SeamEndpoints {
    static func createACSUser(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let systemId = input.uuid("acs_system_id", required: true)
        let fullName = input.string("full_name", required: true).value
        let identityId = input.uuid("user_identity_id")
        let email = input.string("email_address", format: .email).value ?? input.string("email", format: .email).value
        let phone = input.string("phone_number").value
        let groupIds = input.uuidArray("acs_access_group_ids") ?? []
        var schedule: ACSUserRecord.AccessSchedule?
        if case .value(var scheduleInput) = input.object("access_schedule") {
            let startsAt = scheduleInput.date("starts_at").value ?? context.now
            let endsAt = scheduleInput.date("ends_at", nullable: true).value
            checkWindow(startsAt: startsAt, endsAt: endsAt, now: context.now, endsAtField: "ends_at", input: &scheduleInput)
            input.absorb(scheduleInput)
            schedule = ACSUserRecord.AccessSchedule(startsAt: startsAt, endsAt: endsAt)
        }
        try input.throwIfInvalid()
        guard let systemId, let fullName else { throw SandboxErrorReply.invalidInput(field: "acs_system_id", "Required") }
        guard workspace.acsSystems[systemId] != nil else { throw SandboxErrorReply.notFound("acs_system", id: systemId) }
        if let identityId, workspace.userIdentities[identityId] == nil { throw SandboxErrorReply.notFound("user_identity", id: identityId) }
        for groupId in groupIds {
            try checkGroup(groupId, belongsTo: systemId, in: workspace)
        }
        var uniqueGroupIds: [String] = []
        for groupId in groupIds where !uniqueGroupIds.contains(groupId) { uniqueGroupIds.append(groupId) }
        let user = ACSUserRecord(
            acsUserId: newID(), acsSystemId: systemId, fullName: fullName, emailAddress: email, phoneNumber: phone,
            userIdentityId: identityId, accessSchedule: schedule, accessGroupIds: uniqueGroupIds,
            createdAt: context.now, sequence: workspace.takeSequence()
        )
        workspace.acsUsers[user.acsUserId] = user
        workspace.schedule(.creation, forACSUser: user.acsUserId, context: context)
        let settled = workspace.acsUsers[user.acsUserId] ?? user
        return ok("acs_user", SeamResourceRenderer.acsUser(settled, in: workspace, now: context.now))
    }

    static func getACSUser(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let user = try resolveACSUser(&input, in: workspace)
        return ok("acs_user", SeamResourceRenderer.acsUser(user, in: workspace, now: context.now))
    }

    static func listACSUsers(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let systemId = input.uuid("acs_system_id")
        let identityId = input.uuid("user_identity_id")
        let identityEmail = input.string("user_identity_email_address", nullable: true).value
        let identityPhone = input.string("user_identity_phone_number", nullable: true).value
        let search = input.string("search", minLength: 1).value
        let createdBefore = input.date("created_before").value
        let pagination = SeamPagination(reading: &input, maxPageSize: context.maxPageSize)
        try input.throwIfInvalid()
        let matching = workspace.acsUsers.values.filter { user in
            if let systemId, user.acsSystemId != systemId { return false }
            if let identityId, user.userIdentityId != identityId { return false }
            let identity = user.userIdentityId.flatMap { workspace.userIdentities[$0] }
            if let identityEmail, identity?.emailAddress?.caseInsensitiveCompare(identityEmail) != .orderedSame { return false }
            if let identityPhone, identity?.phoneNumber != identityPhone { return false }
            if let createdBefore, user.createdAt >= createdBefore { return false }
            if let search, !matches(search, user.fullName, user.emailAddress, user.phoneNumber, user.acsUserId) { return false }
            return true
        }
        let page = pagination.page(of: Array(matching), sequence: \.sequence, input: input, context: context)
        return .object([
            "ok": .bool(true),
            "acs_users": .array(page.items.map { SeamResourceRenderer.acsUser($0, in: workspace, now: context.now) }),
            "pagination": page.pagination,
        ])
    }

    static func updateACSUser(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        var newSchedule: ACSUserRecord.AccessSchedule??
        switch input.object("access_schedule", nullable: true) {
        case .absent: newSchedule = .none
        case .null: newSchedule = .some(nil)
        case .value(var scheduleInput):
            let startsAt = scheduleInput.date("starts_at", required: true).value
            let endsAt = scheduleInput.date("ends_at", required: true).value
            checkWindow(startsAt: startsAt, endsAt: endsAt, now: context.now, endsAtField: "ends_at", input: &scheduleInput)
            input.absorb(scheduleInput)
            if let startsAt { newSchedule = .some(ACSUserRecord.AccessSchedule(startsAt: startsAt, endsAt: endsAt)) }
        }
        let fullName = input.string("full_name", minLength: 1).value
        let email = input.string("email_address", format: .email).value ?? input.string("email", format: .email).value
        let phone = input.string("phone_number").value
        _ = input.uuid("hid_acs_system_id")
        var user = try resolveACSUser(&input, in: workspace)
        let scheduleBefore = user.accessSchedule
        let informationBefore = user.userInformation
        if let newSchedule { user.accessSchedule = newSchedule }
        if let fullName { user.fullName = fullName }
        if let email { user.emailAddress = email }
        if let phone { user.phoneNumber = phone }
        workspace.acsUsers[user.acsUserId] = user
        // Only a user the site has can have a change pushed; for one still being created (or
        // refused) the change is simply part of what Seam holds.
        guard user.onSiteSince != nil else { return okOnly }
        if user.accessSchedule != scheduleBefore {
            workspace.schedule(.accessSchedule(from: scheduleBefore, to: user.accessSchedule), forACSUser: user.acsUserId, context: context)
        }
        if user.userInformation != informationBefore {
            workspace.schedule(.userInformation(from: informationBefore, to: user.userInformation), forACSUser: user.acsUserId, context: context)
        }
        return okOnly
    }

    /// Seam answers ok at once; the user goes when the site has deleted it (see `ProviderBehavior`).
    static func deleteACSUser(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let user = try resolveACSUser(&input, in: workspace)
        workspace.schedule(.deletion, forACSUser: user.acsUserId, context: context)
        return okOnly
    }

    static func addToAccessGroup(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let userId = input.uuid("acs_user_id", required: true)
        let groupId = input.uuid("acs_access_group_id", required: true)
        try input.throwIfInvalid()
        guard let userId, var user = workspace.acsUsers[userId] else { throw SandboxErrorReply.notFound("acs_user", id: userId ?? "") }
        guard let groupId else { throw SandboxErrorReply.invalidInput(field: "acs_access_group_id", "Required") }
        try checkGroup(groupId, belongsTo: user.acsSystemId, in: workspace)
        if !user.accessGroupIds.contains(groupId) {
            user.accessGroupIds.append(groupId)
            workspace.acsUsers[userId] = user
            if user.onSiteSince != nil {
                workspace.schedule(.groupMembership(acsAccessGroupId: groupId, isAdding: true), forACSUser: userId, context: context)
            }
        }
        return okOnly
    }

    static func removeFromAccessGroup(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let groupId = input.uuid("acs_access_group_id", required: true)
        let userId = input.uuid("acs_user_id")
        let identityId = input.uuid("user_identity_id")
        if userId == nil, identityId == nil, input.errors.isEmpty {
            input.fail("acs_user_id", "Provide acs_user_id or user_identity_id")
        }
        try input.throwIfInvalid()
        guard let groupId, let group = workspace.accessGroups[groupId] else { throw SandboxErrorReply.notFound("acs_access_group", id: groupId ?? "") }
        let targets: [ACSUserRecord]
        if let userId {
            guard let user = workspace.acsUsers[userId] else { throw SandboxErrorReply.notFound("acs_user", id: userId) }
            targets = [user]
        } else {
            let identityId = identityId ?? ""
            guard workspace.userIdentities[identityId] != nil else { throw SandboxErrorReply.notFound("user_identity", id: identityId) }
            targets = workspace.acsUsers.values.filter { $0.userIdentityId == identityId && $0.acsSystemId == group.acsSystemId }
        }
        for var user in targets where user.accessGroupIds.contains(groupId) {
            user.accessGroupIds.removeAll { $0 == groupId }
            workspace.acsUsers[user.acsUserId] = user
            if user.onSiteSince != nil {
                workspace.schedule(.groupMembership(acsAccessGroupId: groupId, isAdding: false), forACSUser: user.acsUserId, context: context)
            }
        }
        return okOnly
    }

    /// Finds the ACS user a request names by `acs_user_id`, or by `user_identity_id` + `acs_system_id`.
    ///
    /// When an identity has several ACS users on one system (one per reservation, as Seam's Salto KS
    /// guide does), the oldest one is returned.
    static func resolveACSUser(_ input: inout SeamRequestInput, in workspace: WorkspaceData) throws(SandboxErrorReply) -> ACSUserRecord {
        let userId = input.uuid("acs_user_id")
        let identityId = input.uuid("user_identity_id")
        let systemId = input.uuid("acs_system_id")
        if userId == nil, input.errors.isEmpty, identityId == nil || systemId == nil {
            input.fail("acs_user_id", "Provide acs_user_id, or user_identity_id and acs_system_id")
        }
        try input.throwIfInvalid()
        if let userId {
            guard let user = workspace.acsUsers[userId] else { throw SandboxErrorReply.notFound("acs_user", id: userId) }
            return user
        }
        let match = workspace.acsUsers.values
            .filter { $0.userIdentityId == identityId && $0.acsSystemId == systemId }
            .min { $0.sequence < $1.sequence }
        guard let match else {
            throw SandboxErrorReply.notFound("acs_user", id: "for user_identity_id \(identityId ?? "") on acs_system_id \(systemId ?? "")")
        }
        return match
    }

    /// A group must exist (404) and belong to the user's system (400).
    static func checkGroup(_ groupId: String, belongsTo systemId: String, in workspace: WorkspaceData) throws(SandboxErrorReply) {
        guard let group = workspace.accessGroups[groupId] else { throw SandboxErrorReply.notFound("acs_access_group", id: groupId) }
        guard group.acsSystemId == systemId else {
            throw SandboxErrorReply.invalidInput(field: "acs_access_group_id", "Access group \(groupId) belongs to another ACS system")
        }
    }
}
