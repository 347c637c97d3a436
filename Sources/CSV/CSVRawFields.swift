/// One record's fields as UTF-8 bytes (already checked to be valid UTF-8), lent to a closure by
/// `CSVReader.nextRaw(_:)`: a caller that needs only a few fields as strings skips building a
/// `String` for every one of them. The bytes are valid only inside that closure.
///
/// Inlinable: a validator reads each record's fields through here, several times per field, and
/// a call into this module for each read cost more than the read.
public struct CSVRawFields {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    /// `ends[i]` is the offset in `bytes` just past field `i`.
    @usableFromInline let ends: UnsafeBufferPointer<Int>

    /// Fields laid end to end in `bytes`, field `i` ending at `ends[i]`; both must outlive the use.
    @inlinable
    public init(bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>) {
        self.bytes = bytes
        self.ends = ends
    }

    @inlinable
    public var count: Int { ends.count }

    /// All the fields' bytes end to end, and where each field ends in them: what a caller that
    /// keeps whole records (`validate`'s reading thread, batching them) copies in two moves
    /// instead of one per field.
    @inlinable
    public var endToEnd: (bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>) { (bytes, ends) }

    /// The bytes of field `index` (0-based).
    @inlinable
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[index]])
    }
}
