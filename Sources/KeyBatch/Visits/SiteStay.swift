/// One stay of a guest on a site, as the visit rules see it: its dates, the access groups of its
/// listing, and whether it still asks for access.
public struct SiteStay: Sendable, Hashable {
    /// Whether the stay asks for access tonight.
    public enum Standing: Sendable, Hashable {
        /// Confirmed and not over: part of a visit.
        case live
        /// Its access must go: cancelled, gone from the file under `--sync`, moved to another
        /// guest or site, or ended early (check-out moved into the past).
        case ended
        /// Over by its own dates: it drops out of the visits, and its key with them.
        case expired
        /// Cancelled, and an earlier run already saw its access gone: nothing left to end.
        case closed
    }

    public var reservationID: String
    public var accessGroupIDs: [String]
    public var checkIn: Timestamp
    public var checkOut: Timestamp
    public var standing: Standing

    public init(reservationID: String, accessGroupIDs: [String], checkIn: Timestamp, checkOut: Timestamp, standing: Standing) {
        self.reservationID = reservationID
        self.accessGroupIDs = accessGroupIDs
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.standing = standing
    }
}
