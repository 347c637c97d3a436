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

    static let site = GuestSite(guestEmail: "a@example.com", acsSystemID: listing.acsSystemID)

    /// The journal routes KeyBatch's own not-held codes by case (only that part is forgotten) and
    /// records any other refusal under its code exactly as Seam spelled it.
    @Test func theJournalForgetsOnlyWhatIsNotHeldAndRecordsOtherRefusalsAsSpelled() async throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore.open(path: directory.path("state.sqlite"), runDescription: "test")
        try await store.upsertDesired(Self.reservation, listing: Self.listing, runID: nil)
        let schedule = AccessSchedule(startsAt: Self.reservation.checkIn, endsAt: Self.reservation.checkOut)
        let keys = ProvisionedKeys(userIdentityID: "i", acsUserID: "u", accessGroupIDs: Self.listing.accessGroupIDs, acsCredentialID: "c",
                                   schedule: schedule)
        try await store.saveSite(Self.site, keys: keys, awaiting: .some(.update))
        let journal = StateJournal(store: store, runID: 1)
        try await journal.refused(site: Self.site, issue: SeamIssue(code: .run(.accessGroupsNotHeld), message: "groups"))
        var site = try #require(try store.siteRecords()[Self.site])
        #expect(site.pendingCreate == .accessGroups && site.refusal == nil && site.keys.schedule == schedule && site.keys.acsUserID == "u")
        try await journal.refused(site: Self.site, issue: SeamIssue(code: .run(.accessScheduleNotHeld), message: "schedule"))
        site = try #require(try store.siteRecords()[Self.site])
        #expect(site.keys.schedule == nil && site.refusal == nil && site.keys.acsUserID == "u")
        try await journal.refused(site: Self.site, issue: SeamIssue(seam: SeamCode("failed_to_create_on_acs_system"), message: "refused"))
        #expect(try store.siteRecords()[Self.site]?.refusal == "failed_to_create_on_acs_system")
    }

    @Test func anAnnouncedCreateStaysPendingUntilItsIDIsRecorded() async throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore.open(path: directory.path("state.sqlite"), runDescription: "test")
        try await store.upsertDesired(Self.reservation, listing: Self.listing, runID: nil)
        var keys = ProvisionedKeys(userIdentityID: "i", acsUserID: "u", accessGroupIDs: [], schedule: nil)
        try await store.setPendingCreate(.credential, site: Self.site)
        // Other progress (groups, schedule) must not resolve the credential's intent.
        keys.accessGroupIDs = Self.listing.accessGroupIDs
        try await store.saveSite(Self.site, keys: keys)
        #expect(try store.siteRecords()[Self.site]?.pendingCreate == .credential)
        try await store.saveSite(Self.site, keys: keys, error: "timeout")
        try await store.failReservation(reservationID: "R-1", error: "timeout")
        #expect(try store.siteRecords()[Self.site]?.pendingCreate == .credential)
        #expect(try store.record(for: "R-1")?.status == .partial)
        keys.acsCredentialID = "c"
        try await store.saveSite(Self.site, keys: keys, awaiting: .some(.update))
        try await store.settle(reservationID: "R-1", status: .provisioned)
        let site = try #require(try store.siteRecords()[Self.site])
        #expect(site.pendingCreate == nil && site.keys == keys && site.awaiting == .update)
        let record = try #require(try store.record(for: "R-1"))
        #expect(record.status == .provisioned && record.fingerprint == Fingerprint(Self.reservation, listing: Self.listing))
        try await store.confirmSite(Self.site, forgetACSUser: false)
        #expect(try store.siteRecords()[Self.site]?.awaiting == nil)
    }

    /// A deletion keeps the user's id until the site confirms it gone; then it is forgotten.
    @Test func aDeletionIsTrackedUntilConfirmed() async throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore.open(path: directory.path("state.sqlite"), runDescription: "test")
        try await store.setPendingCreate(.acsUser, site: Self.site)
        try await store.saveSite(Self.site, keys: ProvisionedKeys(userIdentityID: "i", acsUserID: "u"), awaiting: .some(.revoke), deleted: true)
        let deleting = try #require(try store.siteRecords()[Self.site])
        #expect(deleting.awaitsDeletion && deleting.pendingCreate == nil && deleting.holdsUser)
        try await store.confirmSite(Self.site, forgetACSUser: true)
        let gone = try #require(try store.siteRecords()[Self.site])
        #expect(!gone.holdsUser && gone.keys.userIdentityID == "i")
        try await store.retire([RetiredUser(acsUserID: "old", acsCredentialID: "k")], site: Self.site)
        #expect(try store.siteRecords()[Self.site]?.retired == [RetiredUser(acsUserID: "old", acsCredentialID: "k")])
        try await store.retiredGone(acsUserID: "old")
        #expect(try store.siteRecords()[Self.site]?.retired == [])
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
        #expect(try store.record(for: "R-1")?.status == .provisioned)
        #expect(try store.activeRecords().map(\.reservationID) == ["R-1"])
        #expect(try store.siteRecords()[GuestSite(guestEmail: "a@example.com", acsSystemID: "s")]?.keys.acsUserID == "u1")
    }

    /// A state file of the one-user-per-reservation model (version 2, as KeyBatch 0.18 wrote it):
    /// per guest and site the user of the stay that ends first among those not over is kept, the
    /// others are listed for retirement, and the site is left to be moved to its visit.
    @Test func aVersionTwoFileOfTheOldModelIsMovedToOneUserPerGuestAndSite() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("state.sqlite")
        let queue = try DatabaseQueue(path: path)
        try StateStore.migrator.migrate(queue, upTo: "v2")
        let day: Int64 = 86_400_000
        let now = Timestamp.now().millisecondsSinceEpoch
        try await queue.write { db in
            // Columns and values as 0.18's StateStore wrote them (upsertDesired, saveKeys, finish).
            func insert(_ id: String, email: String, system: String, status: String, user: String?, credential: String?, checkIn: Int64, checkOut: Int64,
                        awaiting: String? = nil, pending: String? = nil, identity: String? = "identity-a") throws {
                try db.execute(sql: """
                    INSERT INTO reservations (reservation_id, fingerprint, guest_email, listing_id, acs_system_id, check_in_ms, check_out_ms, status,
                        user_identity_id, acs_user_id, acs_credential_id, access_group_ids, schedule_starts_ms, schedule_ends_ms, pending_create,
                        attempts, created_at, updated_at, awaiting)
                    VALUES (?, 'f', ?, 'A-101', ?, ?, ?, ?, ?, ?, ?, 'g1', ?, ?, ?, 1, ?, 'now', ?)
                    """, arguments: [id, email, system, checkIn, checkOut, status, identity, user, credential, checkIn, checkOut, pending,
                                     "2026-0\(id.last!)-01T00:00:00.000Z", awaiting])
            }
            // A returning guest: a stay over, one current, one next month, all on site s1.
            try insert("R-1", email: "a@example.com", system: "s1", status: "provisioned", user: "u-past", credential: "k-past",
                       checkIn: now - 20 * day, checkOut: now - 18 * day)
            try insert("R-2", email: "a@example.com", system: "s1", status: "provisioned", user: "u-now", credential: "k-now",
                       checkIn: now - day, checkOut: now + 2 * day, awaiting: "create")
            try insert("R-3", email: "a@example.com", system: "s1", status: "provisioned", user: "u-next", credential: "k-next",
                       checkIn: now + 30 * day, checkOut: now + 33 * day)
            // Her cancelled stay whose deletion the site has not confirmed.
            try insert("R-4", email: "a@example.com", system: "s1", status: "revoked", user: "u-gone", credential: nil,
                       checkIn: now + 5 * day, checkOut: now + 6 * day, awaiting: "revoke")
            // Another guest, one stay, with a user create announced and never resolved.
            try insert("R-5", email: "b@example.com", system: "s1", status: "partial", user: nil, credential: nil,
                       checkIn: now + day, checkOut: now + 3 * day, pending: "acs_user", identity: "identity-b")
        }
        let store = try StateStore.open(path: path, runDescription: "test")
        let sites = try store.siteRecords()
        let guest = try #require(sites[GuestSite(guestEmail: "a@example.com", acsSystemID: "s1")])
        #expect(guest.keys.acsUserID == "u-now" && guest.keys.acsCredentialID == "k-now" && guest.keys.userIdentityID == "identity-a")
        #expect(guest.keys.schedule == AccessSchedule(startsAt: Timestamp(millisecondsSinceEpoch: now - day), endsAt: Timestamp(millisecondsSinceEpoch: now + 2 * day)))
        // What the site had yet to confirm of the kept user (R-2's create) is still to be confirmed.
        #expect(Set(guest.retired.map(\.acsUserID)) == ["u-past", "u-next", "u-gone"] && guest.awaiting == .update && guest.pendingCreate == nil)
        let other = try #require(sites[GuestSite(guestEmail: "b@example.com", acsSystemID: "s1")])
        #expect(other.pendingCreate == .acsUser && other.keys.acsUserID == nil && other.keys.userIdentityID == "identity-b")
        #expect(try store.record(for: "R-4")?.status == .revoked)
        #expect(try store.record(for: "R-2")?.status == .provisioned)
        #expect(try store.activeRecords().map(\.reservationID) == ["R-1", "R-2", "R-3", "R-5"])
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
