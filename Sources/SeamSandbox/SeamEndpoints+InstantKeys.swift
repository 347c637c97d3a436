import Foundation

/// `/user_identities/generate_instant_key`.
extension SeamEndpoints {
    /// Generates an instant key for an existing user identity.
    ///
    /// `max_use_count` is a plain number defaulting to 1 in the spec; any finite value is kept as
    /// given. The sandbox has no customization profiles, so a `customization_profile_id` is always
    /// `404 customization_profile_not_found`. The key expires one calendar month after it was made,
    /// as in Seam's documented example. A site set to refuse instant keys
    /// (`SandboxControls.setInstantKeysRefused`) makes the call a `400 instant_keys_not_supported`
    /// for any identity with an ACS user on it.
    static func generateInstantKey(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let identityID = input.uuid("user_identity_id", required: true)
        let profileID = input.uuid("customization_profile_id")
        let maxUseCount = input.number("max_use_count", integer: false) ?? 1
        try input.throwIfInvalid()
        guard let identityID, workspace.userIdentities[identityID] != nil else {
            throw SandboxErrorReply.notFound("user_identity", id: identityID ?? "")
        }
        if let profileID { throw SandboxErrorReply.notFound("customization_profile", id: profileID) }
        let refusing = workspace.acsUsers.values
            .filter { $0.userIdentityID == identityID }
            .compactMap { workspace.acsSystems[$0.acsSystemID] }
            .filter { $0.refusesInstantKeys == true }
            .map(\.name)
            .sorted()
        if let site = refusing.first {
            throw SandboxErrorReply(status: 400, type: "instant_keys_not_supported",
                                    message: "Instant keys are not supported for the access system '\(site)'.")
        }
        let instantKeyID = newID()
        let key = InstantKeyRecord(
            instantKeyID: instantKeyID, userIdentityID: identityID, clientSessionID: newID(), customizationProfileID: nil,
            maxUseCount: maxUseCount,
            instantKeyUrl: "https://ik.seam.co/" + instantKeyID.replacingOccurrences(of: "-", with: "").prefix(12),
            createdAt: context.now, expiresAt: oneMonth(after: context.now)
        )
        workspace.instantKeys[instantKeyID] = key
        return ok("instant_key", SeamResourceRenderer.instantKey(key, in: workspace))
    }

    private static func oneMonth(after date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .month, value: 1, to: date) ?? date.addingTimeInterval(31 * 86_400)
    }
}
