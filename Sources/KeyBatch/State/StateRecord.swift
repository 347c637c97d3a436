/// What the state file knows of one reservation: what it last asked for (the desired fields and
/// their fingerprint) and where it stands. What Seam holds for it lives on its guest's site
/// (`GuestSiteRecord`): one ACS user and one key per guest and site, shared by their stays.
public struct StateRecord: Sendable, Hashable {
    /// Where a reservation stands after the last run that touched it.
    public enum Status: String, Sendable {
        /// Work started and did not finish (failed, interrupted or crashed): resume it.
        case partial
        /// Its guest's user on the site holds its visit.
        case provisioned
        /// In a later visit of its guest on the site: the user holds an earlier one for now.
        case deferred
        /// Cancelled, and Seam has not yet confirmed its access gone: it never counts as a live
        /// stay again, whether or not tonight's file still lists it.
        case ending
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
    public var attempts: Int
    public var lastError: String?
    /// `--instant-keys`: a link was asked for and no finished results file holds it yet.
    public var linkOwed = false

    public init(reservationID: String, fingerprint: Fingerprint, guestEmail: String, listingID: String, acsSystemID: String,
                checkIn: Timestamp, checkOut: Timestamp, status: Status, attempts: Int = 1, lastError: String? = nil) {
        self.reservationID = reservationID
        self.fingerprint = fingerprint
        self.guestEmail = guestEmail
        self.listingID = listingID
        self.acsSystemID = acsSystemID
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
    }

    /// The guest and site whose ACS user this reservation's access is on.
    public var site: GuestSite { GuestSite(guestEmail: guestEmail, acsSystemID: acsSystemID) }

    /// Whether the stay may hold access (or be owed it): not revoked or cleaned.
    public var mayHoldAccess: Bool { status == .partial || status == .provisioned || status == .deferred || status == .ending }

    /// The results-file identity of a reservation known only from the state (`--sync`): no input line.
    public var identity: ValidatedRow.Identity {
        ValidatedRow.Identity(line: 0, reservationID: reservationID, guestEmail: guestEmail, listingID: listingID)
    }
}
