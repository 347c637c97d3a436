/// A reservation that passed validation: everything Seam needs, normalised (email lower-cased,
/// phone in E.164, times as UTC instants).
public struct Reservation: Sendable, Hashable {
    /// Where it came from in the input file.
    public var line: Int
    public var reservationID: String
    public var guestEmail: String
    public var guestName: String?
    public var guestPhone: String?
    public var listingID: String
    public var checkIn: Timestamp
    public var checkOut: Timestamp
    public var status: ReservationStatus

    public init(line: Int, reservationID: String, guestEmail: String, guestName: String?, guestPhone: String?,
                listingID: String, checkIn: Timestamp, checkOut: Timestamp, status: ReservationStatus) {
        self.line = line
        self.reservationID = reservationID
        self.guestEmail = guestEmail
        self.guestName = guestName
        self.guestPhone = guestPhone
        self.listingID = listingID
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.status = status
    }
}

/// Whether the guest should have a key at all.
public enum ReservationStatus: String, Sendable, Hashable {
    case confirmed
    case cancelled
}
