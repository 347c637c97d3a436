/// Stable snake_case codes for why a row was not provisioned. They appear in results files and
/// summaries, and scripts match on them, so a code is never renamed once released.
public enum RowErrorCode: String, Sendable, CaseIterable, Comparable {
    // Validation of the row itself.
    case missingField = "missing_field"
    case invalidEmail = "invalid_email"
    case invalidPhone = "invalid_phone"
    case invalidTime = "invalid_time"
    case checkOutBeforeCheckIn = "check_out_before_check_in"
    case stayTooLong = "stay_too_long"
    case unknownListing = "unknown_listing"
    case duplicateReservationID = "duplicate_reservation_id"
    case invalidStatus = "invalid_status"
    /// A control character (NUL, ESC, a C1 control, a line or paragraph separator, …) in a column
    /// KeyBatch uses.
    case controlCharacter = "control_character"
    /// A bidirectional control or zero-width character in a column Seam gets as a name
    /// (`reservation_id`, `guest_name`): see `UnicodeFieldScan`.
    case formatCharacter = "format_character"
    // The CSV layer.
    case malformedCSV = "malformed_csv"
    case wrongFieldCount = "wrong_field_count"
    case invalidUTF8 = "invalid_utf8"
    case fieldTooLong = "field_too_long"

    public static func < (lhs: RowErrorCode, rhs: RowErrorCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
