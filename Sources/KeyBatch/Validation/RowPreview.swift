import CSV

/// What `validate`'s reading thread works out about a row before the judging thread gets it:
/// judging and writing are the slower half of `validate`, and these two looks at the row's bytes
/// cost the reading thread less than they cost the judging one.
///
/// A preview only saves work: `ReservationValidator.judge` reaches the same verdict with
/// `.unknown` (as `plan` and `provision`, which read on one thread, always pass).
struct RowPreview: Sendable {
    /// The hash the set of seen ids files the row's reservation id under (`ByteStringSet.hash`
    /// of the trimmed cell); nil when the cell is missing or not ASCII (looked up by its
    /// canonical form, which the judging thread works out).
    var reservationIDHash: UInt64?
    /// False when the whole record is ASCII with no byte below 0x20 nor 0x7F, so no field holds a
    /// control character and the rules need not look at any
    /// (`ReservationValidator.mayHoldControlCharacter`; a non-ASCII record is looked at).
    var mayHoldControlCharacter: Bool

    /// Nothing known: every rule looks for itself.
    static let unknown = RowPreview(reservationIDHash: nil, mayHoldControlCharacter: true)
}
