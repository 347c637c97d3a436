import Foundation

/// Turns stored records into the JSON objects Seam's spec describes, with every required field.
///
/// Derived facts (Salto KS subscription, counts, linked identity fields) are computed here at read
/// time from the sandbox clock, so they change by themselves as time passes, as on real Seam.
enum SeamResourceRenderer {
    static func userIdentity(_ identity: UserIdentityRecord, in workspace: WorkspaceData) -> JSONValue {
        let acsUserIds = workspace.acsUsers.values
            .filter { $0.userIdentityId == identity.userIdentityId }
            .sorted { $0.sequence < $1.sequence }
            .map { JSONValue.string($0.acsUserId) }
        let displayName = identity.fullName ?? identity.emailAddress ?? identity.phoneNumber
            ?? identity.userIdentityKey ?? identity.userIdentityId
        return .object([
            "user_identity_id": .string(identity.userIdentityId),
            "user_identity_key": .string(orNull: identity.userIdentityKey),
            "email_address": .string(orNull: identity.emailAddress),
            "phone_number": .string(orNull: identity.phoneNumber),
            "full_name": .string(orNull: identity.fullName),
            "display_name": .string(displayName),
            "merged_user_identity_ids": .array([]),
            "merged_user_identity_keys": .array([]),
            "created_at": .timestamp(identity.createdAt),
            "workspace_id": .string(workspace.workspaceId),
            "errors": .array([]),
            "warnings": .array([]),
            "acs_user_ids": .array(acsUserIds),
        ])
    }

    static func acsSystem(_ system: ACSSystemRecord, in workspace: WorkspaceData) -> JSONValue {
        let userCount = workspace.acsUsers.values.count { $0.acsSystemId == system.acsSystemId }
        let groupCount = workspace.accessGroups.values.count { $0.acsSystemId == system.acsSystemId }
        let displayName = displayName(ofSystemType: system.externalType)
        return .object([
            "acs_system_id": .string(system.acsSystemId),
            "name": .string(system.name),
            "external_type": .string(system.externalType),
            "external_type_display_name": .string(displayName),
            "system_type": .string(system.externalType),
            "system_type_display_name": .string(displayName),
            "connected_account_id": .string(workspace.connectedAccountId),
            "connected_account_ids": .array([.string(workspace.connectedAccountId)]),
            "created_at": .timestamp(system.createdAt),
            "workspace_id": .string(workspace.workspaceId),
            "errors": .array([]),
            "warnings": .array([]),
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
            "acs_access_group_id": .string(group.acsAccessGroupId),
            "acs_system_id": .string(group.acsSystemId),
            "workspace_id": .string(workspace.workspaceId),
            "connected_account_id": .string(workspace.connectedAccountId),
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
            "acs_user_id": .string(user.acsUserId),
            "acs_system_id": .string(user.acsSystemId),
            "workspace_id": .string(workspace.workspaceId),
            "connected_account_id": .string(workspace.connectedAccountId),
            "created_at": .timestamp(user.createdAt),
            "display_name": .string(user.fullName.isEmpty ? user.acsUserId : user.fullName),
            "full_name": .string(user.fullName),
            "is_managed": .bool(true),
            "is_suspended": .bool(false),
            "last_successful_sync_at": .timestamp(user.createdAt),
            "pending_mutations": .array([]),
            "errors": .array([]),
        ]
        if let email = user.emailAddress { fields["email_address"] = .string(email) }
        if let phone = user.phoneNumber { fields["phone_number"] = .string(phone) }
        if let schedule = user.accessSchedule {
            fields["access_schedule"] = .object([
                "starts_at": .timestamp(schedule.startsAt),
                "ends_at": .timestamp(orNull: schedule.endsAt),
            ])
        }
        if let identityId = user.userIdentityId, let identity = workspace.userIdentities[identityId] {
            fields["user_identity_id"] = .string(identityId)
            fields["user_identity_email_address"] = .string(orNull: identity.emailAddress)
            fields["user_identity_full_name"] = .string(orNull: identity.fullName)
            fields["user_identity_phone_number"] = .string(orNull: identity.phoneNumber)
        }
        var warnings: [JSONValue] = []
        let system = workspace.acsSystems[user.acsSystemId]
        if system?.externalType == "salto_ks_site" {
            fields["external_type"] = .string("salto_site_user")
            fields["external_type_display_name"] = .string("Salto site user")
            let subscription = SaltoKSSubscription(schedule: user.accessSchedule, now: now)
            fields["salto_ks_metadata"] = .object(["is_subscribed": .bool(subscription.isSubscribed)])
            if let since = subscription.unsubscribedSince(createdAt: user.createdAt) {
                warnings.append(.object([
                    "warning_code": .string("salto_ks_user_not_subscribed"),
                    "message": .string(subscription.explanation),
                    "created_at": .timestamp(since),
                ]))
            }
        }
        fields["warnings"] = .array(warnings)
        return .object(fields)
    }

    static func credential(_ credential: ACSCredentialRecord, in workspace: WorkspaceData) -> JSONValue {
        let isSalto = workspace.acsSystems[credential.acsSystemId]?.externalType == "salto_ks_site"
        var fields: [String: JSONValue] = [
            "acs_credential_id": .string(credential.acsCredentialId),
            "acs_user_id": .string(credential.acsUserId),
            "acs_system_id": .string(credential.acsSystemId),
            "workspace_id": .string(workspace.workspaceId),
            "connected_account_id": .string(workspace.connectedAccountId),
            "access_method": .string(credential.accessMethod),
            "display_name": .string(credential.isMultiPhoneSyncCredential ? "Multi Phone Sync Credential" : credential.accessMethod),
            "code": .string(orNull: credential.code),
            "created_at": .timestamp(credential.createdAt),
            "is_managed": .bool(true),
            "is_multi_phone_sync_credential": .bool(credential.isMultiPhoneSyncCredential),
            "is_issued": .bool(true),
            "issued_at": .timestamp(credential.createdAt),
            "is_latest_desired_state_synced_with_provider": .bool(true),
            "latest_desired_state_synced_with_provider_at": .timestamp(credential.createdAt),
            "errors": .array([]),
            "warnings": .array([]),
        ]
        if isSalto {
            fields["external_type"] = .string("salto_ks_credential")
            fields["external_type_display_name"] = .string("Salto KS Credential")
        }
        if let identityId = credential.userIdentityId { fields["user_identity_id"] = .string(identityId) }
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
