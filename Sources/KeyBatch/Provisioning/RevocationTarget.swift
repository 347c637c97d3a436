/// The natural key of a reservation's ACS user, enough to find it when the state file cannot say.
public struct RevocationTarget: Sendable, Hashable {
    public var reservationID: String
    public var guestEmail: String
    public var acsSystemID: String

    public init(reservationID: String, guestEmail: String, acsSystemID: String) {
        self.reservationID = reservationID
        self.guestEmail = guestEmail
        self.acsSystemID = acsSystemID
    }

    public init(_ reservation: Reservation, listing: Listing) {
        self.init(reservationID: reservation.reservationID, guestEmail: reservation.guestEmail, acsSystemID: listing.acsSystemID)
    }

    public init(_ record: StateRecord) {
        self.init(reservationID: record.reservationID, guestEmail: record.guestEmail, acsSystemID: record.acsSystemID)
    }
}
