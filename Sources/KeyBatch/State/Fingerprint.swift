/// The fields of a reservation that decide what Seam must hold for it, reduced to one comparable
/// value: when tonight's fingerprint equals the one recorded last night, the row costs no call.
///
/// The guest's name and phone are left out on purpose: they only seed a new user identity, and
/// the identity belongs to the guest (their app account), not to one reservation.
public struct Fingerprint: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(value: String) {
        self.value = value
    }

    public init(_ reservation: Reservation, listing: Listing) {
        var hasher = FNV1a64()
        for part in [reservation.guestEmail, listing.acsSystemID, listing.accessGroupIDs.sorted().joined(separator: ","),
                     String(reservation.checkIn.millisecondsSinceEpoch), String(reservation.checkOut.millisecondsSinceEpoch),
                     reservation.status.rawValue] {
            hasher.combine(part)
            hasher.combine("\u{1F}")
        }
        value = hasher.hexDigest
    }

    public var description: String { value }
}

/// 64-bit FNV-1a: stable across processes and versions (unlike `Hasher`), which a value stored
/// in a file and compared next week must be. Not for security.
struct FNV1a64 {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func combine(_ text: String) {
        for byte in text.utf8 {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01b3
        }
    }

    var hexDigest: String {
        let hex = String(state, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
