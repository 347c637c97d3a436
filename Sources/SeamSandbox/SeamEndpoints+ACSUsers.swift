import Foundation

/// `/acs/users/*`.
extension SeamEndpoints {
    static func createACSUser(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let systemID = input.uuid("acs_system_id", required: true)
        let fullName = input.string("full_name", required: true).value
        let identityID = input.uuid("user_identity_id")
        let email = input.string("email_address", format: .email).value ?? input.string("email", format: .email).value
        let phone = input.string("phone_number").value
        let groupIDs = input.uuidArray("acs_access_group_ids") ?? []
        var schedule: ACSUserRecord.AccessSchedule?
        if case .value(var scheduleInput) = input.object("access_schedule") {
            let startsAt = scheduleInput.date("starts_at").value ?? context.now
            let endsAt = scheduleInput.date("ends_at", nullable: true).value
            checkWindow(startsAt: startsAt, endsAt: endsAt, now: context.now, endsAtField: "ends_at", input: &scheduleInput)
            input.absorb(scheduleInput)
            schedule = ACSUserRecord.AccessSchedule(startsAt: startsAt, endsAt: endsAt)
        }
        try input.throwIfInvalid()
        guard let systemID, let fullName else { throw SandboxErrorReply.invalidInput(field: "acs_system_id", "Required") }
        guard workspace.acsSystems[systemID] != nil else { throw SandboxErrorReply.notFound("acs_system", id: systemID) }
        if let identityID, workspace.userIdentities[identityID] == nil { throw SandboxErrorReply.notFound("user_identity", id: identityID) }
        // The groups are the new user's at once and go to the site with its creation, as
        // add_to_access_group's do for a user the site does not have yet; each is checked as
        // add_to_access_group checks it. A Set keeps this linear in the array's length.
        var uniqueGroupIDs: [String] = []
        var seenGroupIDs = Set<String>()
        for groupID in groupIDs where seenGroupIDs.insert(groupID).inserted {
            try checkGroup(groupID, belongsTo: systemID, in: workspace, field: "acs_access_group_ids")
            uniqueGroupIDs.append(groupID)
        }
        var siteRefusal: String?
        if let identityID {
            let linked = workspace.acsUsers(linkedTo: identityID, onACSSystem: systemID)
            if let existing = linked.first {
                switch context.identityLinkRule {
                case .allow:
                    break
                case .refuse:
                    throw identityAlreadyHasACSUser(existing, identityID: identityID, systemID: systemID)
                case .refuseOnSite:
                    siteRefusal = "The access system refused to create the user: user identity \(identityID) already has ACS user \(existing.acsUserID) on ACS system \(systemID)."
                case .relink:
                    for user in linked { workspace.unlinkIdentity(ofACSUser: user.acsUserID) }
                }
            }
        }
        let user = ACSUserRecord(
            acsUserID: newID(), acsSystemID: systemID, fullName: fullName, emailAddress: email, phoneNumber: phone,
            userIdentityID: identityID, accessSchedule: schedule, accessGroupIDs: uniqueGroupIDs,
            createdAt: context.now, sequence: workspace.takeSequence()
        )
        workspace.insertACSUser(user)
        workspace.schedule(.creation, forACSUser: user.acsUserID, context: context, refusal: siteRefusal)
        let settled = workspace.acsUsers[user.acsUserID] ?? user
        return ok("acs_user", SeamResourceRenderer.acsUser(settled, in: workspace, now: context.now))
    }

    /// `IdentityLinkRule.refuse`'s answer: HTTP 400 with the existing user in `data`, so a client
    /// can adopt it. Seam documents no type for this refusal; the name is the sandbox's own.
    static func identityAlreadyHasACSUser(_ existing: ACSUserRecord, identityID: String, systemID: String) -> SandboxErrorReply {
        SandboxErrorReply(
            status: 400, type: IdentityLinkRule.refusalErrorType,
            message: "User identity \(identityID) already has ACS user \(existing.acsUserID) on ACS system \(systemID); "
                + "a user identity can be linked to one ACS user in each access control system. "
                + "Find it with acs/users/get by user_identity_id and acs_system_id.",
            data: .object([
                "acs_user_id": .string(existing.acsUserID),
                "user_identity_id": .string(identityID),
                "acs_system_id": .string(systemID),
            ])
        )
    }

    static func getACSUser(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let user = try resolveACSUser(&input, in: workspace)
        return ok("acs_user", SeamResourceRenderer.acsUser(user, in: workspace, now: context.now))
    }

    static func listACSUsers(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let systemID = input.uuid("acs_system_id")
        let identityID = input.uuid("user_identity_id")
        let identityEmail = input.string("user_identity_email_address", nullable: true).value
        let identityPhone = input.string("user_identity_phone_number", nullable: true).value
        let search = input.string("search", minLength: 1).value
        let createdBefore = input.date("created_before").value
        let pagination = SeamPagination(reading: &input, maxPageSize: context.maxPageSize)
        try input.throwIfInvalid()
        // By identity, only that identity's few users are looked at (the index), not every user.
        let candidates = identityID.map { workspace.acsUsers(linkedTo: $0) } ?? Array(workspace.acsUsers.values)
        let matching = candidates.filter { user in
            if let systemID, user.acsSystemID != systemID { return false }
            if let identityID, user.userIdentityID != identityID { return false }
            let identity = user.userIdentityID.flatMap { workspace.userIdentities[$0] }
            if let identityEmail, identity?.emailAddress?.caseInsensitiveCompare(identityEmail) != .orderedSame { return false }
            if let identityPhone, identity?.phoneNumber != identityPhone { return false }
            if let createdBefore, user.createdAt >= createdBefore { return false }
            if let search, !matches(search, user.fullName, user.emailAddress, user.phoneNumber, user.acsUserID) { return false }
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
        workspace.acsUsers[user.acsUserID] = user
        // Only a user the site has can have a change pushed; for one still being created (or
        // refused) the change is simply part of what Seam holds.
        guard user.onSiteSince != nil else { return okOnly }
        if user.accessSchedule != scheduleBefore {
            workspace.schedule(.accessSchedule(from: scheduleBefore, to: user.accessSchedule), forACSUser: user.acsUserID, context: context)
        }
        if user.userInformation != informationBefore {
            workspace.schedule(.userInformation(from: informationBefore, to: user.userInformation), forACSUser: user.acsUserID, context: context)
        }
        return okOnly
    }

    /// Seam answers ok at once; the user goes when the site has deleted it (see `ProviderBehavior`).
    static func deleteACSUser(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let user = try resolveACSUser(&input, in: workspace)
        workspace.schedule(.deletion, forACSUser: user.acsUserID, context: context)
        return okOnly
    }

    static func addToAccessGroup(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let userID = input.uuid("acs_user_id", required: true)
        let groupID = input.uuid("acs_access_group_id", required: true)
        try input.throwIfInvalid()
        guard let userID, var user = workspace.acsUsers[userID] else { throw SandboxErrorReply.notFound("acs_user", id: userID ?? "") }
        guard let groupID else { throw SandboxErrorReply.invalidInput(field: "acs_access_group_id", "Required") }
        try checkGroup(groupID, belongsTo: user.acsSystemID, in: workspace)
        if !user.accessGroupIDs.contains(groupID) {
            user.accessGroupIDs.append(groupID)
            workspace.acsUsers[userID] = user
            if user.onSiteSince != nil {
                workspace.schedule(.groupMembership(acsAccessGroupID: groupID, isAdding: true), forACSUser: userID, context: context)
            }
        }
        return okOnly
    }

    static func removeFromAccessGroup(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let groupID = input.uuid("acs_access_group_id", required: true)
        let userID = input.uuid("acs_user_id")
        let identityID = input.uuid("user_identity_id")
        if userID == nil, identityID == nil, input.errors.isEmpty {
            input.fail("acs_user_id", "Provide acs_user_id or user_identity_id")
        }
        try input.throwIfInvalid()
        guard let groupID, let group = workspace.accessGroups[groupID] else { throw SandboxErrorReply.notFound("acs_access_group", id: groupID ?? "") }
        let targets: [ACSUserRecord]
        if let userID {
            guard let user = workspace.acsUsers[userID] else { throw SandboxErrorReply.notFound("acs_user", id: userID) }
            targets = [user]
        } else {
            let identityID = identityID ?? ""
            guard workspace.userIdentities[identityID] != nil else { throw SandboxErrorReply.notFound("user_identity", id: identityID) }
            targets = workspace.acsUsers(linkedTo: identityID, onACSSystem: group.acsSystemID)
        }
        for var user in targets where user.accessGroupIDs.contains(groupID) {
            user.accessGroupIDs.removeAll { $0 == groupID }
            workspace.acsUsers[user.acsUserID] = user
            if user.onSiteSince != nil {
                workspace.schedule(.groupMembership(acsAccessGroupID: groupID, isAdding: false), forACSUser: user.acsUserID, context: context)
            }
        }
        return okOnly
    }

    /// Finds the ACS user a request names: by `acs_user_id`, or by `user_identity_id` +
    /// `acs_system_id`, exactly one of the two forms (anything else is `invalid_input`); a pair
    /// that names no user is `404 acs_user_not_found`.
    ///
    /// When an identity has several ACS users on one system (possible only under
    /// `IdentityLinkRule.allow` and `.refuseOnSite`), the oldest one is the one named: the user the
    /// identity had first, which a sweep by identity also lists first. Real Seam's choice is unknown.
    static func resolveACSUser(_ input: inout SeamRequestInput, in workspace: WorkspaceData) throws(SandboxErrorReply) -> ACSUserRecord {
        let sent = input.presentFields
        let userID = input.uuid("acs_user_id")
        let identityID = input.uuid("user_identity_id")
        let systemID = input.uuid("acs_system_id")
        let sentIdentity = sent.contains("user_identity_id")
        let sentSystem = sent.contains("acs_system_id")
        if sent.contains("acs_user_id") {
            if sentIdentity || sentSystem {
                input.fail("acs_user_id", "Provide either acs_user_id, or user_identity_id and acs_system_id, not both")
            }
        } else if !sentIdentity, !sentSystem {
            input.fail("acs_user_id", "Provide acs_user_id, or user_identity_id and acs_system_id")
        } else if !sentSystem {
            input.fail("acs_system_id", "Required with user_identity_id")
        } else if !sentIdentity {
            input.fail("user_identity_id", "Required with acs_system_id")
        }
        try input.throwIfInvalid()
        if let userID {
            guard let user = workspace.acsUsers[userID] else { throw SandboxErrorReply.notFound("acs_user", id: userID) }
            return user
        }
        guard let identityID, let systemID else { throw SandboxErrorReply.invalidInput(field: "acs_user_id", "Required") }
        guard let match = workspace.acsUsers(linkedTo: identityID, onACSSystem: systemID).first else {
            throw SandboxErrorReply.notFound("acs_user", id: "for user_identity_id \(identityID) on acs_system_id \(systemID)")
        }
        return match
    }

    /// A group must exist (404) and belong to the user's system (400, naming `field`).
    static func checkGroup(_ groupID: String, belongsTo systemID: String, in workspace: WorkspaceData,
                           field: String = "acs_access_group_id") throws(SandboxErrorReply) {
        guard let group = workspace.accessGroups[groupID] else { throw SandboxErrorReply.notFound("acs_access_group", id: groupID) }
        guard group.acsSystemID == systemID else {
            throw SandboxErrorReply.invalidInput(field: field, "Access group \(groupID) belongs to another ACS system")
        }
    }
}
