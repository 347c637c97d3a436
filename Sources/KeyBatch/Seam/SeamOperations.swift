/// The Seam operations provisioning needs, in the provisioner's own terms.
///
/// A protocol at this seam keeps the provisioner's decisions (what to look up, what to create,
/// in which order) apart from HTTP: `SeamOperationsClient` implements it over the real Seam
/// client, and anything else (a recorder, a fault injector) can stand in without a server.
/// Creates are expected to be safe to retry: an implementation must, after an ambiguous failure,
/// look the resource up by its natural key before creating it again.
public protocol SeamOperations: Sendable {
    /// The identity whose email matches case-insensitively, whoever created it.
    func findUserIdentity(email: String) async throws -> String?
    /// Creates the identity; when Seam says the email is taken, returns the existing one instead.
    /// `created` is true only when Seam answered the create itself with a new identity (one found
    /// by a lookup after a conflict or an ambiguous failure may have existed before).
    func createUserIdentity(email: String, fullName: String?, phoneNumber: String?) async throws -> (id: String, created: Bool)
    /// Every identity of the workspace that has an email, by lower-cased email (all pages): a bulk
    /// run's identity lookups in a few calls.
    func userIdentityIDsByEmail() async throws -> [String: String]

    /// The guest's ACS users on `acsSystemID`: linked to the identity, not being deleted. Seam's
    /// model has one; a workspace of the old one-user-per-stay model (or a Seam that allows
    /// several) may have more, and every one is returned.
    func findACSUsers(acsSystemID: String, userIdentityID: String) async throws -> [ACSUserState]
    /// Creates the guest's user on the site, with its schedule and access groups in the one call.
    func createACSUser(acsSystemID: String, userIdentityID: String, fullName: String, schedule: AccessSchedule,
                       accessGroupIDs: [String]) async throws -> ACSUserState
    func updateSchedule(acsUserID: String, schedule: AccessSchedule) async throws
    func deleteACSUser(acsUserID: String) async throws

    func accessGroupIDs(ofACSUser acsUserID: String) async throws -> Set<String>
    func addToAccessGroup(acsUserID: String, accessGroupID: String) async throws
    func removeFromAccessGroup(acsUserID: String, accessGroupID: String) async throws

    /// The multi-phone-sync mobile key of an ACS user, if it has one.
    func findMobileKey(acsUserID: String) async throws -> String?
    func createMobileKey(acsUserID: String) async throws -> String
    func deleteCredential(acsCredentialID: String) async throws

    /// The ACS system as Seam shows it, nil when the workspace has none by that id (checked once
    /// per run, before the first row that needs a call).
    func acsSystem(_ acsSystemID: String) async throws -> ACSSystemState?
    /// The access groups on an ACS system (one call per system checks every listing's groups).
    func accessGroupIDs(onACSSystem acsSystemID: String) async throws -> Set<String>

    // Confirmation: what the Salto KS site has applied (see `ConfirmationJudge`).

    /// The ACS user as Seam shows it now; nil when Seam no longer has it.
    func acsUserState(acsUserID: String) async throws -> ACSUserState?
    /// The credential as Seam shows it now; nil when Seam no longer has it.
    func credentialState(acsCredentialID: String) async throws -> CredentialState?
    /// Every ACS user of a system (all pages): confirms many rows in a few calls.
    func acsUserStates(onACSSystem acsSystemID: String) async throws -> [ACSUserState]
    /// Every credential of a system (all pages).
    func credentialStates(onACSSystem acsSystemID: String) async throws -> [CredentialState]

    // Export: what Seam holds, in bulk.

    /// The ACS users in one access group (one call, not per user).
    func acsUserIDs(inAccessGroup accessGroupID: String) async throws -> Set<String>

    // Instant keys (`--instant-keys`).

    /// A new instant key for the identity: a link to its mobile keys. Each call makes a new one.
    func generateInstantKey(userIdentityID: String) async throws -> InstantKeyLink

    /// The pace Seam shows (the limiter's current rate, the client's summed timing), for the
    /// adaptive window; nil when there is none to show (a stand-in without a client).
    func pace() async -> SeamPace?

    /// Runs `body` and says how many HTTP calls it made (retries included), for the results file.
    func measuringCalls<T: Sendable>(_ body: () async -> T) async -> (result: T, calls: Int)
}

extension SeamOperations {
    /// No pace to show by default (a stand-in without a client): the adaptive window keeps its
    /// starting size.
    public func pace() async -> SeamPace? { nil }
}
