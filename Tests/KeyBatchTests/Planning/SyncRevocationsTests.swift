import Testing
@testable import KeyBatch

@Suite struct SyncRevocationsTests {
    static func record(_ id: String, checkOutDay: Int) -> StateRecord {
        StateRecord(reservationID: id, fingerprint: Fingerprint(value: "f"), guestEmail: "\(id)@example.com", listingID: "A-101",
                    acsSystemID: "s", checkIn: Timestamp(year: 2027, month: 3, day: 1), checkOut: Timestamp(year: 2027, month: 3, day: checkOutDay),
                    status: .provisioned)
    }

    @Test func onlyCurrentStaysCountAgainstTheGuard() {
        let now = Timestamp(year: 2027, month: 3, day: 10)
        let active = [Self.record("R-1", checkOutDay: 5), Self.record("R-2", checkOutDay: 6), Self.record("R-3", checkOutDay: 20),
                      Self.record("R-4", checkOutDay: 21)]
        let allowed = SyncRevocations(active: active, seen: ["R-4"], now: now, limit: 1)
        #expect(allowed.absent.map(\.reservationID) == ["R-1", "R-2", "R-3"])
        #expect(allowed.blockedReason == nil)
        let blocked = SyncRevocations(active: active, seen: [], now: now, limit: 1)
        #expect(blocked.blockedReason?.contains("2 current reservations") == true)
    }
}
