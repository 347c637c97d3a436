import SeamAPI
import Synchronization

/// `SeamOperations` over the real Seam client: each operation is one or two typed calls, and
/// every Seam error becomes a `SeamOperationError` whose code is Seam's error type.
///
/// Idempotence lives here and in `SeamClient`: creates go through the client's
/// lookup-before-retry; deletes treat "not found" as done (the goal is the resource's absence,
/// and a crashed run may already have deleted it); an identity create that Seam refuses as a
/// conflict falls back to the identity that holds the email.
public struct SeamOperationsClient: SeamOperations {
    private let client: SeamClient

    public init(client: SeamClient) {
        self.client = client
    }

    public func findUserIdentity(email: String) async throws -> String? {
        try await mapped { try await client.findUserIdentity(emailAddress: email)?.userIdentityID }
    }

    public func createUserIdentity(email: String, fullName: String?, phoneNumber: String?) async throws -> (id: String, created: Bool) {
        // Whether the identity came from a lookup (after an ambiguous failure) rather than from
        // the create's own answer: only the latter is known to be new.
        let foundByLookup = Mutex(false)
        let lookup: @Sendable () async throws -> UserIdentity? = {
            let found = try await client.findUserIdentity(emailAddress: email)
            if found != nil { foundByLookup.withLock { $0 = true } }
            return found
        }
        return try await mapped {
            do {
                let identity = try await client.createUserIdentity(.init(emailAddress: email, phoneNumber: phoneNumber, fullName: fullName), lookup: lookup)
                return (identity.userIdentityID, !foundByLookup.withLock { $0 })
            } catch let error as SeamError where Self.isConflict(error) {
                // Seam names no error type for a taken email; whatever it is called, the
                // identity holding the email is the guest's.
                if let existing = try await client.findUserIdentity(emailAddress: email) { return (existing.userIdentityID, false) }
                guard phoneNumber != nil else { throw error }
                // The phone number belongs to another identity (a shared family phone): the
                // guest still gets a key, just without the phone on their identity.
                foundByLookup.withLock { $0 = false }
                let identity = try await client.createUserIdentity(.init(emailAddress: email, fullName: fullName), lookup: lookup)
                return (identity.userIdentityID, !foundByLookup.withLock { $0 })
            }
        }
    }

    public func userIdentityIDsByEmail() async throws -> [String: String] {
        try await mapped {
            var index: [String: String] = [:]
            for identity in try await client.listUserIdentities(.init()) {
                guard let email = identity.emailAddress?.lowercased() else { continue }
                index[email] = index[email] ?? identity.userIdentityID
            }
            return index
        }
    }

    public func findACSUsers(acsSystemID: String, userIdentityID: String) async throws -> [ACSUserState] {
        try await mapped {
            try await client.listACSUsers(.init(acsSystemID: acsSystemID, userIdentityID: userIdentityID))
                .filter { !$0.isBeingDeleted && $0.userIdentityID == userIdentityID }
                .map(Self.state(of:))
        }
    }

    public func createACSUser(acsSystemID: String, userIdentityID: String, fullName: String, schedule: AccessSchedule,
                              accessGroupIDs: [String]) async throws -> ACSUserState {
        let request = ACSUserRequests.Create(
            acsSystemID: acsSystemID, fullName: fullName, userIdentityID: userIdentityID,
            acsAccessGroupIDs: accessGroupIDs.isEmpty ? nil : accessGroupIDs,
            accessSchedule: ACSAccessSchedule(startsAt: schedule.startsAt.iso8601, endsAt: schedule.endsAt.iso8601)
        )
        return try await mapped {
            // After an ambiguous failure, the guest's user on the site is whatever Seam shows for
            // the identity there: the create was only sent because the lookup found none.
            Self.state(of: try await client.createACSUser(request) {
                try await client.listACSUsers(.init(acsSystemID: acsSystemID, userIdentityID: userIdentityID))
                    .first { !$0.isBeingDeleted && $0.userIdentityID == userIdentityID }
            })
        }
    }

    public func updateSchedule(acsUserID: String, schedule: AccessSchedule) async throws {
        try await mapped {
            try await client.updateACSUser(.init(.id(acsUserID), accessSchedule: ACSAccessSchedule(startsAt: schedule.startsAt.iso8601, endsAt: schedule.endsAt.iso8601)))
        }
    }

    public func deleteACSUser(acsUserID: String) async throws {
        try await mapped { try await Self.ignoringNotFound { try await client.deleteACSUser(.init(.id(acsUserID))) } }
    }

    public func accessGroupIDs(ofACSUser acsUserID: String) async throws -> Set<String> {
        try await mapped { Set(try await client.listACSAccessGroups(.init(acsUserID: acsUserID)).map(\.acsAccessGroupID)) }
    }

    public func addToAccessGroup(acsUserID: String, accessGroupID: String) async throws {
        try await mapped { try await client.addACSUserToAccessGroup(.init(acsUserID: acsUserID, acsAccessGroupID: accessGroupID)) }
    }

    public func removeFromAccessGroup(acsUserID: String, accessGroupID: String) async throws {
        try await mapped {
            try await Self.ignoringNotFound { try await client.removeACSUserFromAccessGroup(.init(acsAccessGroupID: accessGroupID, acsUserID: acsUserID)) }
        }
    }

    public func findMobileKey(acsUserID: String) async throws -> String? {
        try await mapped {
            do {
                return try await client.findACSCredential(matching: Self.mobileKey(of: acsUserID))?.acsCredentialID
            } catch let error as SeamError where error.isNotFound {
                // Whether Seam answers an unknown ACS user with an empty list or a 404 is not
                // documented: either way that user has no key.
                return nil
            }
        }
    }

    public func createMobileKey(acsUserID: String) async throws -> String {
        try await mapped {
            try await client.createACSCredential(Self.mobileKey(of: acsUserID)).acsCredentialID
        }
    }

    public func deleteCredential(acsCredentialID: String) async throws {
        try await mapped { try await Self.ignoringNotFound { try await client.deleteACSCredential(.init(acsCredentialID: acsCredentialID)) } }
    }

    public func acsSystem(_ acsSystemID: String) async throws -> ACSSystemState? {
        try await mapped {
            do {
                let system = try await client.getACSSystem(.init(acsSystemID: acsSystemID))
                return ACSSystemState(acsSystemID: system.acsSystemID, externalType: system.externalType,
                                      errors: Self.issues(system.errors), warnings: Self.issues(system.warnings))
            } catch let error as SeamError where error.isNotFound {
                return nil
            }
        }
    }

    public func accessGroupIDs(onACSSystem acsSystemID: String) async throws -> Set<String> {
        try await mapped { Set(try await client.listACSAccessGroups(.init(acsSystemID: acsSystemID)).map(\.acsAccessGroupID)) }
    }

    public func acsUserState(acsUserID: String) async throws -> ACSUserState? {
        try await mapped {
            do {
                return Self.state(of: try await client.getACSUser(.init(.id(acsUserID))))
            } catch let error as SeamError where error.isNotFound {
                return nil
            }
        }
    }

    public func credentialState(acsCredentialID: String) async throws -> CredentialState? {
        try await mapped {
            do {
                return Self.state(of: try await client.getACSCredential(.init(acsCredentialID: acsCredentialID)))
            } catch let error as SeamError where error.isNotFound {
                return nil
            }
        }
    }

    public func acsUserStates(onACSSystem acsSystemID: String) async throws -> [ACSUserState] {
        try await mapped { try await client.listACSUsers(.init(acsSystemID: acsSystemID)).map(Self.state(of:)) }
    }

    public func credentialStates(onACSSystem acsSystemID: String) async throws -> [CredentialState] {
        try await mapped { try await client.listACSCredentials(.init(acsSystemID: acsSystemID)).map(Self.state(of:)) }
    }

    public func acsUserIDs(inAccessGroup accessGroupID: String) async throws -> Set<String> {
        try await mapped { Set(try await client.listAccessGroupUsers(.init(acsAccessGroupID: accessGroupID)).map(\.acsUserID)) }
    }

    public func measuringCalls<T: Sendable>(_ body: () async -> T) async -> (result: T, calls: Int) {
        let counter = SeamCallCounter()
        let result = await SeamCallCounter.$current.withValue(counter) { await body() }
        return (result, counter.snapshot.httpCalls)
    }

    // MARK: Helpers

    /// The guest's key: a Salto KS mobile key that syncs to every phone of their app account.
    static func mobileKey(of acsUserID: String) -> ACSCredentialRequests.Create {
        .init(accessMethod: ACSCredentialRequests.mobileKey, acsUserID: acsUserID, isMultiPhoneSyncCredential: true)
    }

    static func schedule(of user: ACSUser) -> AccessSchedule? {
        guard case .instant(let start)? = user.accessSchedule?.startsAt.flatMap(TimestampParser.parse),
              case .instant(let end)? = user.accessSchedule?.endsAt.flatMap(TimestampParser.parse) else { return nil }
        return AccessSchedule(startsAt: start, endsAt: end)
    }

    static func state(of user: ACSUser) -> ACSUserState {
        ACSUserState(acsUserID: user.acsUserID, acsSystemID: user.acsSystemID, fullName: user.fullName, userIdentityID: user.userIdentityID,
                     schedule: schedule(of: user), pendingMutations: (user.pendingMutations ?? []).map { $0.mutationCode ?? "unknown" },
                     errors: issues(user.errors), warnings: (user.warnings ?? []).compactMap(\.code),
                     userIdentityEmail: user.userIdentityEmailAddress, isSubscribed: user.saltoKSMetadata?.isSubscribed,
                     createdAt: user.createdAt)
    }

    static func state(of credential: ACSCredential) -> CredentialState {
        CredentialState(acsCredentialID: credential.acsCredentialID, acsUserID: credential.acsUserID,
                        isMobileKey: credential.accessMethod == ACSCredentialRequests.mobileKey && credential.isMultiPhoneSyncCredential != false,
                        isSynced: credential.isLatestDesiredStateSyncedWithProvider ?? false,
                        errors: issues(credential.errors), warnings: (credential.warnings ?? []).compactMap(\.code))
    }

    private static func issues(_ notices: [SeamNotice]?) -> [SeamIssue] {
        (notices ?? []).map { SeamIssue(seam: SeamCode($0.code ?? "unknown_error"), message: $0.message ?? "") }
    }

    public func pace() async -> SeamPace? {
        SeamPace(rate: await client.rateLimiter.currentRate, timing: client.stats.timing)
    }

    public func generateInstantKey(userIdentityID: String) async throws -> InstantKeyLink {
        try await mapped {
            let key = try await client.generateInstantKey(.init(userIdentityID: userIdentityID))
            return InstantKeyLink(url: key.instantKeyURL, expiresAt: key.expiresAt)
        }
    }

    /// A refusal of an identity create that may mean "taken". Seam documents no error type for
    /// it, so any 4xx but auth, rate limit and timeout counts: the lookup that follows is cheap,
    /// and if it finds nothing the original error is reported.
    static func isConflict(_ error: SeamError) -> Bool {
        guard let status = error.status, (400...499).contains(status) else { return false }
        return ![401, 403, 404, 408, 429].contains(status)
    }

    private static func ignoringNotFound(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as SeamError where error.isNotFound {
            return
        }
    }

    private func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SeamError {
            var failure = SeamOperationError(code: SeamCode(error.type), message: error.description, isUnauthorized: error.isUnauthorized,
                                             isNotFound: error.isNotFound)
            failure.neverReachedSeam = error.neverReachedSeam
            failure.noAnswerOnAnyAttempt = error.noAnswerOnAnyAttempt
            failure.requestID = error.requestID
            failure.reason = error.message
            throw failure
        }
    }
}
