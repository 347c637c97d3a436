/// What the state file knows of one reservation: what it last asked for (the desired fields and
/// their fingerprint) and what Seam holds for it (the keys, with any create still unconfirmed).
public struct StateRecord: Sendable, Hashable {
    /// Where a reservation stands after the last run that touched it.
    public enum Status: String, Sendable {
        /// Work started and did not finish (failed, interrupted or crashed): resume it.
        case partial
        case provisioned
        case revoked
        case cleaned
    }

    public var reservationID: String
    public var fingerprint: Fingerprint
    public var guestEmail: String
    public var listingID: String
    public var acsSystemID: String
    public var checkIn: Timestamp
    public var checkOut: Timestamp
    public var status: Status
    public var keys: ProvisionedKeys
    /// A create that was announced but whose id was never recorded.
    public var pendingCreate: ProvisioningStep?
    public var attempts: Int
    public var lastError: String?
    /// What the Salto KS site has yet to confirm of the last run's action (`create`, `update`,
    /// `revoke`, …); nil when Seam showed it done.
    public var awaiting: ActionKind?
    /// The Seam error code of a site refusal (`failed_to_create_on_acs_system`, …) to retry.
    public var refusal: String?

    public init(reservationID: String, fingerprint: Fingerprint, guestEmail: String, listingID: String, acsSystemID: String,
                checkIn: Timestamp, checkOut: Timestamp, status: Status, keys: ProvisionedKeys, pendingCreate: ProvisioningStep?,
                attempts: Int, lastError: String?, awaiting: ActionKind? = nil, refusal: String? = nil) {
        self.reservationID = reservationID
        self.fingerprint = fingerprint
        self.guestEmail = guestEmail
        self.listingID = listingID
        self.acsSystemID = acsSystemID
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.status = status
        self.keys = keys
        self.pendingCreate = pendingCreate
        self.attempts = attempts
        self.lastError = lastError
        self.awaiting = awaiting
        self.refusal = refusal
    }

    /// The results-file identity of a reservation known only from the state (`--sync`): no input line.
    public var identity: ValidatedRow.Identity {
        ValidatedRow.Identity(line: 0, reservationID: reservationID, guestEmail: guestEmail, listingID: listingID)
    }

    /// Whether Seam may hold an ACS user (and so a key) for this reservation: also a revocation
    /// the site has not yet confirmed.
    public var holdsKeys: Bool {
        let mayHold = status == .provisioned || status == .partial || awaitsDeletion
        return mayHold && (keys.acsUserID != nil || pendingCreate == .acsUser)
    }

    /// A deletion Seam accepted and the site has not confirmed, with the deleted ACS user's id to
    /// check it by.
    public var awaitsDeletion: Bool { (awaiting == .revoke || awaiting == .cleanup) && keys.acsUserID != nil }

    /// An earlier run's change the site has not confirmed, that Seam can be asked about: the next
    /// run only re-checks it (`PlannedAction.confirm`).
    public var awaitsConfirmation: Bool { expectation != nil }

    /// What to ask Seam to show for the action this record awaits.
    public var expectation: Expectation? {
        guard awaiting != nil, let acsUserID = keys.acsUserID else { return nil }
        if awaitsDeletion { return .absent(acsUserID: acsUserID, acsSystemID: acsSystemID) }
        guard let credential = keys.acsCredentialID else { return nil }
        return .present(acsUserID: acsUserID, acsCredentialID: credential, acsSystemID: acsSystemID,
                        accessGroupIDs: Set(keys.accessGroupIDs), schedule: keys.schedule)
    }

    /// What the provisioner may trust of this record.
    public var knownProgress: KnownProgress {
        KnownProgress(keys: keys, acsUserIntended: pendingCreate == .acsUser,
                      location: RevocationTarget(self))
    }
}
