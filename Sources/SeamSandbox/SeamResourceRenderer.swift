import Foundation

/// Turns stored records into the JSON objects Seam's spec describes, with every required field.
///
/// Derived facts (Salto KS subscription, counts, linked identity fields) are computed here at read
/// time from the sandbox clock, so they change by themselves as time passes, as on real Seam.
enum SeamResourceRenderer {
    static func userIdentity(_ identity: UserIdentityRecord, in workspace: WorkspaceData) -> JSONValue {
        let acsUserIDs = workspace.acsUsers(linkedTo: identity.userIdentityID).map { JSONValue.string($0.acsUserID) }
        let displayName = identity.fullName ?? identity.emailAddress ?? identity.phoneNumber
            ?? identity.userIdentityKey ?? identity.userIdentityID
        return .object([
            "user_identity_id": .string(identity.userIdentityID),
            "user_identity_key": .string(orNull: identity.userIdentityKey),
            "email_address": .string(orNull: identity.emailAddress),
            "phone_number": .string(orNull: identity.phoneNumber),
            "full_name": .string(orNull: identity.fullName),
            "display_name": .string(displayName),
            "merged_user_identity_ids": .array([]),
            "merged_user_identity_keys": .array([]),
            "created_at": .timestamp(identity.createdAt),
            "workspace_id": .string(workspace.workspaceID),
            "errors": .array([]),
            "warnings": .array([]),
            "acs_user_ids": .array(acsUserIDs),
        ])
    }

    static func instantKey(_ key: InstantKeyRecord, in workspace: WorkspaceData) -> JSONValue {
        var fields: [String: JSONValue] = [
            "instant_key_id": .string(key.instantKeyID),
            "instant_key_url": .string(key.instantKeyUrl),
            "client_session_id": .string(key.clientSessionID),
            "user_identity_id": .string(key.userIdentityID),
            "workspace_id": .string(workspace.workspaceID),
            "created_at": .timestamp(key.createdAt),
            "expires_at": .timestamp(key.expiresAt),
        ]
        if let profileID = key.customizationProfileID { fields["customization_profile_id"] = .string(profileID) }
        return .object(fields)
    }

    static func acsSystem(_ system: ACSSystemRecord, in workspace: WorkspaceData) -> JSONValue {
        let userCount = workspace.acsUsers.values.count { $0.acsSystemID == system.acsSystemID }
        let groupCount = workspace.accessGroups.values.count { $0.acsSystemID == system.acsSystemID }
        let displayName = displayName(ofSystemType: system.externalType)
        return .object([
            "acs_system_id": .string(system.acsSystemID),
            "name": .string(system.name),
            "external_type": .string(system.externalType),
            "external_type_display_name": .string(displayName),
            "system_type": .string(system.externalType),
            "system_type_display_name": .string(displayName),
            "connected_account_id": .string(workspace.connectedAccountID),
            "connected_account_ids": .array([.string(workspace.connectedAccountID)]),
            "created_at": .timestamp(system.createdAt),
            "workspace_id": .string(workspace.workspaceID),
            "errors": .array(acsSystemErrors(system, in: workspace)),
            "warnings": .array(acsSystemWarnings(system, in: workspace)),
            "image_url": .string("https://connect.getseam.com/_images/sandbox/\(system.externalType).png"),
            "image_alt_text": .string("\(displayName) logo"),
            "is_credential_manager": .bool(false),
            "location": .object(["time_zone": .string(orNull: system.timeZone)]),
            "acs_user_count": .number(Double(userCount)),
            "acs_access_group_count": .number(Double(groupCount)),
        ])
    }

    static func accessGroup(_ group: AccessGroupRecord, in workspace: WorkspaceData) -> JSONValue {
        let displayName = group.externalType == "salto_ks_access_group" ? "Salto KS Access Group" : group.externalType
        return .object([
            "acs_access_group_id": .string(group.acsAccessGroupID),
            "acs_system_id": .string(group.acsSystemID),
            "workspace_id": .string(workspace.workspaceID),
            "connected_account_id": .string(workspace.connectedAccountID),
            "name": .string(group.name),
            "display_name": .string(group.name),
            "access_group_type": .string(group.externalType),
            "access_group_type_display_name": .string(displayName),
            "external_type": .string(group.externalType),
            "external_type_display_name": .string(displayName),
            "is_managed": .bool(true),
            "created_at": .timestamp(group.createdAt),
            "errors": .array([]),
            "warnings": .array([]),
            "pending_mutations": .array([]),
        ])
    }

    static func acsUser(_ user: ACSUserRecord, in workspace: WorkspaceData, now: Date) -> JSONValue {
        var fields: [String: JSONValue] = [
            "acs_user_id": .string(user.acsUserID),
            "acs_system_id": .string(user.acsSystemID),
            "workspace_id": .string(workspace.workspaceID),
            "connected_account_id": .string(workspace.connectedAccountID),
            "created_at": .timestamp(user.createdAt),
            "display_name": .string(user.fullName.isEmpty ? user.acsUserID : user.fullName),
            "full_name": .string(user.fullName),
            "is_managed": .bool(true),
            "is_suspended": .bool(false),
            "last_successful_sync_at": .timestamp(orNull: user.lastSuccessfulSyncAt),
            "pending_mutations": .array(user.pendingMutations.map(pendingMutation)),
            "errors": .array(user.errors.map { notice(code: $0.code.rawValue, key: "error_code", message: $0.message, since: $0.createdAt) }),
        ]
        if let email = user.emailAddress { fields["email_address"] = .string(email) }
        if let phone = user.phoneNumber { fields["phone_number"] = .string(phone) }
        if let schedule = user.accessSchedule {
            fields["access_schedule"] = .object([
                "starts_at": .timestamp(schedule.startsAt),
                "ends_at": .timestamp(orNull: schedule.endsAt),
            ])
        }
        if let identityID = user.userIdentityID, let identity = workspace.userIdentities[identityID] {
            fields["user_identity_id"] = .string(identityID)
            fields["user_identity_email_address"] = .string(orNull: identity.emailAddress)
            fields["user_identity_full_name"] = .string(orNull: identity.fullName)
            fields["user_identity_phone_number"] = .string(orNull: identity.phoneNumber)
        }
        var warnings: [JSONValue] = []
        if let deletion = user.pendingDeletion {
            warnings.append(notice(code: "being_deleted", key: "warning_code", message: "The user is being deleted from the access system.", since: deletion.createdAt))
        }
        let system = workspace.acsSystems[user.acsSystemID]
        if system?.externalType == "salto_ks_site" {
            fields["external_type"] = .string("salto_site_user")
            fields["external_type_display_name"] = .string("Salto site user")
            let subscription = SaltoKSSubscription(schedule: user.accessSchedule, now: now)
            let slotRefusal = user.errors.first { $0.code == .saltoKSSubscriptionLimitExceeded }
            fields["salto_ks_metadata"] = .object([
                "is_subscribed": .bool(user.onSiteSince != nil && slotRefusal == nil && subscription.isSubscribed),
            ])
            if let slotRefusal {
                warnings.append(notice(code: "salto_ks_user_not_subscribed", key: "warning_code",
                                       message: "Salto KS user is not subscribed: the site has no subscription slot left.", since: slotRefusal.createdAt))
            } else if user.onSiteSince != nil, let since = subscription.unsubscribedSince(createdAt: user.createdAt) {
                warnings.append(notice(code: "salto_ks_user_not_subscribed", key: "warning_code", message: subscription.explanation, since: since))
            }
        }
        fields["warnings"] = .array(warnings)
        return .object(fields)
    }

    /// One `pending_mutations` entry, with exactly the fields the spec gives its `mutation_code`.
    static func pendingMutation(_ mutation: PendingMutation) -> JSONValue {
        var fields: [String: JSONValue] = [
            "mutation_code": .string(mutation.mutationCode),
            "created_at": .timestamp(mutation.createdAt),
        ]
        switch mutation.change {
        case .creation:
            fields["message"] = "Creating the user on the access system."
        case .deletion:
            fields["message"] = "Deleting the user from the access system."
        case .accessSchedule(let from, let to):
            fields["message"] = "Pushing the access schedule to the access system."
            func schedule(_ value: ACSUserRecord.AccessSchedule?) -> JSONValue {
                .object(["starts_at": .timestamp(orNull: value?.startsAt), "ends_at": .timestamp(orNull: value?.endsAt)])
            }
            fields["from"] = schedule(from)
            fields["to"] = schedule(to)
        case .groupMembership(let groupID, let isAdding):
            fields["message"] = .string(isAdding ? "Adding the user to access group \(groupID)." : "Removing the user from access group \(groupID).")
            fields["from"] = .object(["acs_access_group_id": isAdding ? .null : .string(groupID)])
            fields["to"] = .object(["acs_access_group_id": isAdding ? .string(groupID) : .null])
        case .userInformation(let from, let to):
            fields["message"] = "Pushing the user's information to the access system."
            var fromFields: [String: JSONValue] = [:]
            var toFields: [String: JSONValue] = [:]
            if from.fullName != to.fullName {
                fromFields["full_name"] = .string(from.fullName)
                toFields["full_name"] = .string(to.fullName)
            }
            if from.emailAddress != to.emailAddress {
                fromFields["email_address"] = .string(orNull: from.emailAddress)
                toFields["email_address"] = .string(orNull: to.emailAddress)
            }
            if from.phoneNumber != to.phoneNumber {
                fromFields["phone_number"] = .string(orNull: from.phoneNumber)
                toFields["phone_number"] = .string(orNull: to.phoneNumber)
            }
            fields["from"] = .object(fromFields)
            fields["to"] = .object(toFields)
        }
        return .object(fields)
    }

    /// A warning or error object: `{<key>: code, message, created_at}`.
    static func notice(code: String, key: String, message: String, since: Date) -> JSONValue {
        .object([key: .string(code), "message": .string(message), "created_at": .timestamp(since)])
    }

    /// Errors set through the controls, plus `salto_ks_subscription_limit_exceeded` while a user
    /// of the site is refused for lack of slots (since the first such refusal).
    static func acsSystemErrors(_ system: ACSSystemRecord, in workspace: WorkspaceData) -> [JSONValue] {
        var errors = system.injectedErrors
        let slotRefusals = workspace.acsUsers.values
            .filter { $0.acsSystemID == system.acsSystemID }
            .compactMap { $0.errors.first { $0.code == .saltoKSSubscriptionLimitExceeded }?.createdAt }
        let code = ACSSystemErrorCode.saltoKSSubscriptionLimitExceeded.rawValue
        if errors[code] == nil, let since = slotRefusals.min() { errors[code] = since }
        return errors.keys.sorted().map { code in
            let message = ACSSystemErrorCode(rawValue: code)?.defaultMessage ?? code
            return notice(code: code, key: "error_code", message: message, since: errors[code]!)
        }
    }

    /// Warnings set through the controls, plus `salto_ks_subscription_limit_almost_reached` above
    /// 80% of the site's slots.
    static func acsSystemWarnings(_ system: ACSSystemRecord, in workspace: WorkspaceData) -> [JSONValue] {
        var warnings = system.injectedWarnings
        let code = ACSSystemWarningCode.saltoKSSubscriptionLimitAlmostReached.rawValue
        if system.subscriptionSlots != nil, warnings[code] == nil,
           let since = workspace.slotUsage(ofACSSystem: system.acsSystemID).almostReachedSince {
            warnings[code] = since
        }
        return warnings.keys.sorted().map { code in
            let message = ACSSystemWarningCode(rawValue: code)?.defaultMessage ?? code
            return notice(code: code, key: "warning_code", message: message, since: warnings[code]!)
        }
    }

    static func credential(_ credential: ACSCredentialRecord, in workspace: WorkspaceData) -> JSONValue {
        let isSalto = workspace.acsSystems[credential.acsSystemID]?.externalType == "salto_ks_site"
        let syncedAt = credential.syncedWithProviderAt
        var warnings: [JSONValue] = []
        if syncedAt == nil {
            warnings.append(notice(code: "waiting_to_be_issued", key: "warning_code",
                                   message: "The credential is waiting to be issued on the access system.", since: credential.createdAt))
        }
        if let deletionRequestedAt = credential.deletionRequestedAt {
            warnings.append(notice(code: "being_deleted", key: "warning_code", message: "The credential is being deleted.", since: deletionRequestedAt))
        }
        var fields: [String: JSONValue] = [
            "acs_credential_id": .string(credential.acsCredentialID),
            "acs_user_id": .string(credential.acsUserID),
            "acs_system_id": .string(credential.acsSystemID),
            "workspace_id": .string(workspace.workspaceID),
            "connected_account_id": .string(workspace.connectedAccountID),
            "access_method": .string(credential.accessMethod),
            "display_name": .string(credential.isMultiPhoneSyncCredential ? "Multi Phone Sync Credential" : credential.accessMethod),
            "code": .string(orNull: credential.code),
            "created_at": .timestamp(credential.createdAt),
            "is_managed": .bool(true),
            "is_multi_phone_sync_credential": .bool(credential.isMultiPhoneSyncCredential),
            "is_issued": .bool(syncedAt != nil),
            "issued_at": .timestamp(orNull: syncedAt),
            "is_latest_desired_state_synced_with_provider": .bool(syncedAt != nil),
            "latest_desired_state_synced_with_provider_at": .timestamp(orNull: syncedAt),
            "errors": .array([]),
            "warnings": .array(warnings),
        ]
        if isSalto {
            fields["external_type"] = .string("salto_ks_credential")
            fields["external_type_display_name"] = .string("Salto KS Credential")
        }
        if let identityID = credential.userIdentityID { fields["user_identity_id"] = .string(identityID) }
        if let startsAt = credential.startsAt { fields["starts_at"] = .timestamp(startsAt) }
        if let endsAt = credential.endsAt { fields["ends_at"] = .timestamp(endsAt) }
        return .object(fields)
    }

    private static func displayName(ofSystemType type: String) -> String {
        switch type {
        case "salto_ks_site": "Salto KS site"
        default: type.replacingOccurrences(of: "_", with: " ")
        }
    }
}
