import Foundation

/// Typed convenience methods, one per endpoint. Creates are protected against duplicates by a
/// default lookup (documented on each) that the caller may replace.
extension SeamClient {
    // MARK: User identities

    /// Creates a user identity; after an ambiguous failure, looks it up before trying again.
    ///
    /// Default lookup: by `user_identity_key` if given, else an exact (case-insensitive) match of
    /// the email, else of the phone number, in `user_identities/list?search=`. With none of
    /// those, nothing can be matched and the create is simply repeated.
    public func createUserIdentity(
        _ request: UserIdentityRequests.Create,
        lookup: (() async throws -> UserIdentity?)? = nil
    ) async throws -> UserIdentity {
        try await createIdempotently(
            endpoint: UserIdentityRequests.Create.path,
            create: { try await sendOnce(request).resource },
            lookup: { try await (lookup ?? { try await self.findUserIdentity(matching: request) })() }
        )
    }

    /// `user_identities/generate_instant_key`: a new link each call (see the request's note).
    public func generateInstantKey(_ request: UserIdentityRequests.GenerateInstantKey) async throws -> InstantKey {
        try await send(request).resource
    }

    /// `user_identities/get`; throws a 404 ``SeamError`` when it does not exist.
    public func getUserIdentity(_ request: UserIdentityRequests.Get) async throws -> UserIdentity {
        try await send(request).resource
    }

    /// The identity with this `user_identity_key` (or one merged into it), or nil.
    public func findUserIdentity(key: String) async throws -> UserIdentity? {
        try await nilIfNotFound { try await self.getUserIdentity(.byKey(key)) }
    }

    /// The identity whose email equals `emailAddress` (case-insensitive), searching every page.
    public func findUserIdentity(emailAddress: String) async throws -> UserIdentity? {
        let wanted = emailAddress.lowercased()
        return try await listUserIdentities(.init(search: emailAddress))
            .first { $0.emailAddress?.lowercased() == wanted }
    }

    /// Every identity matching the filter, across all pages.
    public func listUserIdentities(_ request: UserIdentityRequests.List = .init()) async throws -> [UserIdentity] {
        try await listAll(request)
    }

    public func updateUserIdentity(_ request: UserIdentityRequests.Update) async throws {
        _ = try await send(request)
    }

    public func deleteUserIdentity(_ request: UserIdentityRequests.Delete) async throws {
        _ = try await send(request)
    }

    // MARK: ACS users

    /// Creates an ACS user; after an ambiguous failure, looks it up before trying again.
    ///
    /// Default lookup: the users of `acs_system_id` (filtered by `user_identity_id` when given,
    /// else searched by `full_name`) whose `full_name` is exactly the requested one, which is why
    /// callers should use a unique full name such as the reservation id.
    public func createACSUser(
        _ request: ACSUserRequests.Create,
        lookup: (() async throws -> ACSUser?)? = nil
    ) async throws -> ACSUser {
        try await createIdempotently(
            endpoint: ACSUserRequests.Create.path,
            create: { try await sendOnce(request).resource },
            lookup: { try await (lookup ?? { try await self.findACSUser(matching: request) })() }
        )
    }

    public func getACSUser(_ request: ACSUserRequests.Get) async throws -> ACSUser {
        try await send(request).resource
    }

    public func listACSUsers(_ request: ACSUserRequests.List) async throws -> [ACSUser] {
        try await listAll(request)
    }

    public func updateACSUser(_ request: ACSUserRequests.Update) async throws {
        _ = try await send(request)
    }

    public func deleteACSUser(_ request: ACSUserRequests.Delete) async throws {
        _ = try await send(request)
    }

    public func addACSUserToAccessGroup(_ request: ACSUserRequests.AddToAccessGroup) async throws {
        _ = try await send(request)
    }

    public func removeACSUserFromAccessGroup(_ request: ACSUserRequests.RemoveFromAccessGroup) async throws {
        _ = try await send(request)
    }

    // MARK: Credentials

    /// Creates a credential; after an ambiguous failure, looks it up before trying again.
    ///
    /// Default lookup: the credentials of the same ACS user (or user identity + system) with the
    /// same `access_method` and multi-phone flag. That assumes one such credential per ACS user,
    /// which holds for one mobile key per reservation.
    public func createACSCredential(
        _ request: ACSCredentialRequests.Create,
        lookup: (() async throws -> ACSCredential?)? = nil
    ) async throws -> ACSCredential {
        try await createIdempotently(
            endpoint: ACSCredentialRequests.Create.path,
            create: { try await sendOnce(request).resource },
            lookup: { try await (lookup ?? { try await self.findACSCredential(matching: request) })() }
        )
    }

    public func getACSCredential(_ request: ACSCredentialRequests.Get) async throws -> ACSCredential {
        try await send(request).resource
    }

    public func listACSCredentials(_ request: ACSCredentialRequests.List) async throws -> [ACSCredential] {
        try await listAll(request)
    }

    public func deleteACSCredential(_ request: ACSCredentialRequests.Delete) async throws {
        _ = try await send(request)
    }

    // MARK: Systems and access groups

    public func getACSSystem(_ request: ACSSystemRequests.Get) async throws -> ACSSystem {
        try await send(request).resource
    }

    public func listACSSystems(_ request: ACSSystemRequests.List = .init()) async throws -> [ACSSystem] {
        try await send(request).items
    }

    public func getACSAccessGroup(_ request: ACSAccessGroupRequests.Get) async throws -> ACSAccessGroup {
        try await send(request).resource
    }

    public func listACSAccessGroups(_ request: ACSAccessGroupRequests.List) async throws -> [ACSAccessGroup] {
        try await send(request).items
    }

    public func listAccessGroupUsers(_ request: ACSAccessGroupRequests.ListUsers) async throws -> [ACSUser] {
        try await send(request).items
    }

    // MARK: Natural-key lookups
    //
    // The one definition of "the same resource" for each create: what the client's
    // lookup-before-retry uses after an ambiguous failure, and what KeyBatch uses to adopt or find
    // a resource it has no id for.

    func findUserIdentity(matching request: UserIdentityRequests.Create) async throws -> UserIdentity? {
        if let key = request.userIdentityKey {
            return try await findUserIdentity(key: key)
        }
        if let email = request.emailAddress {
            return try await findUserIdentity(emailAddress: email)
        }
        if let phone = request.phoneNumber {
            return try await listUserIdentities(.init(search: phone)).first { $0.phoneNumber == phone }
        }
        return nil
    }

    /// The ACS user `request` would make: on its ACS system, linked to its identity (or found by
    /// name when it has none), with exactly its full name, and not being deleted.
    public func findACSUser(matching request: ACSUserRequests.Create) async throws -> ACSUser? {
        let candidates: [ACSUser]
        if let userIdentityID = request.userIdentityID {
            candidates = try await listACSUsers(.init(acsSystemID: request.acsSystemID, userIdentityID: userIdentityID))
        } else {
            candidates = try await listACSUsers(.init(acsSystemID: request.acsSystemID, search: request.fullName))
        }
        // A user Seam is deleting (a revoked stay whose site has not caught up) is not this one.
        return candidates.first { $0.fullName == request.fullName && !$0.isBeingDeleted }
    }

    /// The credential `request` would make: of its ACS user (or identity on its system), with its
    /// access method and, when it asks for one, the same multi-phone-sync flag.
    public func findACSCredential(matching request: ACSCredentialRequests.Create) async throws -> ACSCredential? {
        let list: ACSCredentialRequests.List
        if let acsUserID = request.acsUserID {
            list = .init(acsUserID: acsUserID, isMultiPhoneSyncCredential: request.isMultiPhoneSyncCredential)
        } else if let userIdentityID = request.userIdentityID {
            list = .init(acsSystemID: request.acsSystemID, userIdentityID: userIdentityID,
                         isMultiPhoneSyncCredential: request.isMultiPhoneSyncCredential)
        } else {
            return nil
        }
        // The list was already filtered by Seam on the flag; a credential that does not echo it
        // (the field is optional in Seam's schema) still matches, or a lookup could miss a key
        // Seam holds and the caller would create a second one.
        return try await listACSCredentials(list).first { credential in
            credential.accessMethod == request.accessMethod
                && !(credential.warnings ?? []).contains { $0.code == "being_deleted" }
                && (request.isMultiPhoneSyncCredential == nil || credential.isMultiPhoneSyncCredential == nil
                    || credential.isMultiPhoneSyncCredential == request.isMultiPhoneSyncCredential)
        }
    }

    private func nilIfNotFound<Resource>(_ body: () async throws -> Resource) async throws -> Resource? {
        do {
            return try await body()
        } catch let error as SeamError where error.isNotFound {
            return nil
        }
    }
}
