/// One row as `ReservationValidator.judge` found it: the verdict, and the values it rests on as
/// slices of the row's field bytes, so judging a row builds no string for a value.
///
/// The slices point into the reader's buffer and are valid only while the reader lends the row
/// (inside `ReservationStream.nextJudged`): `validate` writes a valid row's results line from them
/// there, and `validatedRow` makes the strings that `plan` and `provision` keep.
public struct JudgedRow {
    public enum Kind: Sendable {
        /// Valid and current.
        case ready
        /// Valid, but check-out has passed.
        case expired
        case invalid
    }

    public let line: Int
    public let kind: Kind
    /// Every problem found, in column order of the checks; empty unless `kind` is `.invalid`.
    public let errors: [RowError]
    /// The trimmed cells of the identity columns, as read.
    let reservationID: UnsafeBufferPointer<UInt8>
    let rawEmail: UnsafeBufferPointer<UInt8>
    let listingID: UnsafeBufferPointer<UInt8>
    /// The email's normal form; nil when it is empty or not an address.
    let email: EmailAddress.Normal?
    /// The trimmed name cell (empty when there is no such column).
    let guestName: UnsafeBufferPointer<UInt8>
    /// The trimmed phone cell, known to be a valid number when not empty (and `kind` not `.invalid`).
    let guestPhone: UnsafeBufferPointer<UInt8>
    let checkIn: Timestamp?
    let checkOut: Timestamp?
    let status: ReservationStatus

    init(line: Int, kind: Kind, errors: [RowError], reservationID: UnsafeBufferPointer<UInt8>, rawEmail: UnsafeBufferPointer<UInt8>,
         listingID: UnsafeBufferPointer<UInt8>, email: EmailAddress.Normal?, guestName: UnsafeBufferPointer<UInt8>,
         guestPhone: UnsafeBufferPointer<UInt8>, checkIn: Timestamp?, checkOut: Timestamp?, status: ReservationStatus) {
        self.line = line
        self.kind = kind
        self.errors = errors
        self.reservationID = reservationID
        self.rawEmail = rawEmail
        self.listingID = listingID
        self.email = email
        self.guestName = guestName
        self.guestPhone = guestPhone
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.status = status
    }

    /// The row with its values as strings: the identity as read for an invalid row, the
    /// normalised reservation for a valid one.
    public var validatedRow: ValidatedRow {
        let reservationID = String(decoding: reservationID, as: UTF8.self)
        let listingID = String(decoding: listingID, as: UTF8.self)
        guard kind != .invalid, let email, let checkIn, let checkOut else {
            let identity = ValidatedRow.Identity(
                line: line, reservationID: reservationID, guestEmail: String(decoding: rawEmail, as: UTF8.self), listingID: listingID)
            return ValidatedRow(identity: identity, verdict: .invalid(errors))
        }
        let guestEmail = email.string
        let reservation = Reservation(
            line: line, reservationID: reservationID, guestEmail: guestEmail,
            guestName: guestName.isEmpty ? nil : ReservationValidator.oneLine(String(decoding: guestName, as: UTF8.self)),
            // Checked already; normalised again here (16 bytes at most) so that judging builds no string.
            guestPhone: guestPhone.isEmpty ? nil : PhoneNumber.normalise(bytes: guestPhone),
            listingID: listingID, checkIn: checkIn, checkOut: checkOut, status: status
        )
        let identity = ValidatedRow.Identity(line: line, reservationID: reservationID, guestEmail: guestEmail, listingID: listingID)
        return ValidatedRow(identity: identity, verdict: kind == .expired ? .expired(reservation) : .ready(reservation))
    }
}
