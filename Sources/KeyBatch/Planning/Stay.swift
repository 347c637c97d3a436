/// A reservation with the listing it is for: everything a Seam step needs to know of one row.
public struct Stay: Sendable, Hashable {
    public var reservation: Reservation
    public var listing: Listing

    public init(_ reservation: Reservation, at listing: Listing) {
        self.reservation = reservation
        self.listing = listing
    }

    public var reservationID: String { reservation.reservationID }

    /// Where this stay's ACS user lives, by natural key.
    public var target: RevocationTarget { RevocationTarget(reservation, listing: listing) }
}
