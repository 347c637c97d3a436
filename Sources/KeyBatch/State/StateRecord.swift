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

    public init(reservationID: String, fingerprint: Fingerprint, guestEmail: String, listingID: String, acsSystemID: String,
                checkIn: Timestamp, checkOut: Timestamp, status: Status, keys: ProvisionedKeys, pendingCreate: ProvisioningStep?,
                attempts: Int, lastError: String?) {
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
    }

    /// The results-file identity of a reservation known only from the state (`--sync`): no input line.
    public var identity: ValidatedRow.Identity {
        ValidatedRow.Identity(line: 0, reservationID: reservationID, guestEmail: guestEmail, listingID: listingID)
    }

    /// Whether Seam may hold an ACS user (and so a key) for this reservation.
    public var holdsKeys: Bool {
        (status == .provisioned || status == .partial) && (keys.acsUserID != nil || pendingCreate == .acsUser)
    }

    /// What the provisioner may trust of this record.
    public var knownProgress: KnownProgress {
        KnownProgress(keys: keys, acsUserIntended: pendingCreate == .acsUser, credentialIntended: pendingCreate == .credential,
                      location: RevocationTarget(self))
    }
}
