/// A wall-clock time with no offset, as some reservation systems export it. It only becomes an
/// instant once a time zone says where the wall clock hangs (`--timezone`).
public struct LocalDateTime: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int

    /// The same fields read as if they were UTC; the starting point for offset arithmetic.
    var asIfUTC: Timestamp {
        Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
    }
}
