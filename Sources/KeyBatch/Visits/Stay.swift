/// A reservation with the listing it is for.
public struct Stay: Sendable, Hashable {
    public var reservation: Reservation
    public var listing: Listing

    public init(_ reservation: Reservation, at listing: Listing) {
        self.reservation = reservation
        self.listing = listing
    }

    public var reservationID: String { reservation.reservationID }

    /// The guest's site: whose ACS user this stay's access is on.
    public var site: GuestSite { GuestSite(guestEmail: reservation.guestEmail, acsSystemID: listing.acsSystemID) }
}
