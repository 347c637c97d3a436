/// One record's fields as UTF-8 bytes (already checked to be valid UTF-8), lent to a closure by
/// `CSVReader.nextRaw(_:)`: a caller that needs only a few fields as strings skips building a
/// `String` for every one of them. The bytes are valid only inside that closure.
public struct CSVRawFields {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// `ends[i]` is the offset in `bytes` just past field `i`.
    private let ends: UnsafeBufferPointer<Int>

    /// Fields laid end to end in `bytes`, field `i` ending at `ends[i]`; both must outlive the use.
    public init(bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>) {
        self.bytes = bytes
        self.ends = ends
    }

    public var count: Int { ends.count }

    /// The bytes of field `index` (0-based).
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[index]])
    }
}
