import Foundation
import GRDB
import Testing
@testable import KeyBatch

/// The write-ahead rules of the state file, without a server.
@Suite struct StateStoreTests {
    static let listing = Listing(listingID: "A-101", acsSystemID: "11111111-1111-1111-1111-111111111111",
                                 accessGroupIDs: ["55555555-5555-5555-5555-555555555555"])
    static let reservation = Reservation(line: 2, reservationID: "R-1", guestEmail: "a@example.com", guestName: nil, guestPhone: nil,
                                         listingID: "A-101", checkIn: Timestamp(year: 2027, month: 3, day: 1),
                                         checkOut: Timestamp(year: 2027, month: 3, day: 4), status: .confirmed)

    @Test func anAnnouncedCreateStaysPendingUntilItsIDIsRecorded() async throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore.open(path: directory.path("state.sqlite"), runDescription: "test")
        try await store.upsertDesired(Self.reservation, listing: Self.listing, runID: nil)
        var keys = ProvisionedKeys(userIdentityID: "i", acsUserID: "u", accessGroupIDs: [], schedule: nil)
        try await store.setPendingCreate(.credential, reservationID: "R-1")
        // Other progress (groups, schedule) must not resolve the credential's intent.
        keys.accessGroupIDs = Self.listing.accessGroupIDs
        try await store.saveKeys(keys, reservationID: "R-1")
        #expect(try store.record(for: "R-1")?.pendingCreate == .credential)
        try await store.recordFailure(keys, reservationID: "R-1", error: "timeout")
        #expect(try store.record(for: "R-1")?.pendingCreate == .credential)
        #expect(try store.record(for: "R-1")?.status == .partial)
        keys.acsCredentialID = "c"
        try await store.saveKeys(keys, reservationID: "R-1", status: .provisioned)
        let record = try #require(try store.record(for: "R-1"))
        #expect(record.pendingCreate == nil)
        #expect(record.keys == keys)
        #expect(record.fingerprint == Fingerprint(Self.reservation, listing: Self.listing))
    }

    @Test func aFailureRecordsDeletedIDsAsGone() async throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore.open(path: directory.path("state.sqlite"), runDescription: "test")
        try await store.upsertDesired(Self.reservation, listing: Self.listing, runID: nil)
        try await store.saveKeys(ProvisionedKeys(userIdentityID: "i", acsUserID: "u", acsCredentialID: "c"), reservationID: "R-1", status: .provisioned)
        try await store.recordFailure(ProvisionedKeys(userIdentityID: "i", acsUserID: "u", acsCredentialID: nil), reservationID: "R-1", error: "x")
        #expect(try store.record(for: "R-1")?.keys.acsCredentialID == nil)
    }

    /// A status this version does not know (a newer keybatch, a hand edit) stops the run with the
    /// file's name; reading it as `partial` could hand a revoked guest a key again.
    @Test func anUnknownStatusIsAStateFileErrorNotAGuess() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("state.sqlite")
        do {
            let store = try StateStore.open(path: path, runDescription: "test")
            try await store.upsertDesired(Self.reservation, listing: Self.listing, runID: nil)
        }
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "UPDATE reservations SET status = 'archived'") }
        let store = try StateStore.openForReading(path: path)
        #expect {
            _ = try store.record(for: "R-1")
        } throws: { error in
            guard let error = error as? StateFileError else { return false }
            return error.file == path && error.reason.contains("archived")
        }
    }

    @Test func aSecondWritingRunIsRefusedWithTheStateFileNamed() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("state.sqlite")
        let first = try StateStore.open(path: path, runDescription: "first run")
        #expect {
            _ = try StateStore.open(path: path, runDescription: "second run")
        } throws: { error in
            guard let error = error as? StateFileError else { return false }
            return error.file == path && error.reason.contains("first run")
        }
        _ = first
    }

    /// A state file written before confirmation existed is upgraded in place by provision (plan,
    /// which never writes, asks for that first).
    @Test func aVersionOneFileIsReadAndUpgradedInPlace() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("state.sqlite")
        let queue = try DatabaseQueue(path: path)
        try StateStore.migrator.migrate(queue, upTo: "v1")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO reservations (reservation_id, fingerprint, guest_email, listing_id, acs_system_id, check_in_ms, check_out_ms,
                                          status, acs_user_id, created_at, updated_at)
                VALUES ('R-1', 'f', 'a@example.com', 'A-101', 's', 0, 1, 'provisioned', 'u1', 'now', 'now')
                """)
        }
        #expect(throws: StateFileError.self) { _ = try StateStore.openForReading(path: path) }
        let store = try StateStore.open(path: path, runDescription: "test")
        let old = try #require(try store.record(for: "R-1"))
        #expect(old.awaiting == nil && old.refusal == nil && old.keys.acsUserID == "u1")
        #expect(try store.activeRecords().map(\.reservationID) == ["R-1"])
        try await store.refuse(reservationID: "R-1", code: "failed_to_create_on_acs_system", message: "no")
        let refused = try #require(try store.record(for: "R-1"))
        #expect(refused.refusal == "failed_to_create_on_acs_system" && refused.status == .partial)
    }

    /// Two runs reaching one state file through a link must not both run (they would both create).
    @Test func theLockFollowsTheFileNotItsName() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("state.sqlite")
        let first = try StateStore.open(path: path, runDescription: "first run")
        try FileManager.default.createSymbolicLink(atPath: directory.path("alias.sqlite"), withDestinationPath: path)
        #expect(throws: StateFileError.self) { _ = try StateStore.open(path: directory.path("alias.sqlite"), runDescription: "second run") }
        #expect(throws: StateFileError.self) { _ = try StateStore.open(path: directory.path("./state.sqlite"), runDescription: "third run") }
        _ = first
    }

    @Test func theDigestSkipsPipes() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("r.csv", "abc")
        #expect(FileDigest.sha256(path: file) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let fifo = directory.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Opening a FIFO for reading would block without a writer; O_NONBLOCK is not used by the
        // digest, so give it a writer that closes at once.
        let writer = Thread { _ = try? FileHandle(forWritingTo: URL(fileURLWithPath: fifo)).close() }
        writer.start()
        #expect(FileDigest.sha256(path: fifo) == nil)
    }
}
