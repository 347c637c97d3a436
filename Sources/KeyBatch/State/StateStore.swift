import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SQLite state file: one row per reservation ever seen, one per guest and site (the guest's
/// ACS user there, and any users of the old model still to retire), one row per run.
///
/// WAL mode, so `plan` can read while a `provision` writes; `synchronous = FULL`, so an intent
/// recorded before a create survives even a power cut, not only a crash of the process: a lost
/// intent is the one thing that could let a later run create a resource twice. Created 0600, as
/// it holds guest emails. It never holds the API key.
public final class StateStore: Sendable {
    public let path: String
    private let pool: DatabasePool?
    /// Held while a writing run has the file open; nil for `plan`.
    private let lock: StateLock?

    /// Opens (creating and migrating) the state file for a run that writes, taking the run lock.
    /// - Throws: `StateFileError` when another run holds the file, it is not a state file, it has
    ///   more than one name (a hard link), it is damaged, or a newer keybatch wrote it.
    public static func open(path: String, runDescription: String) throws -> StateStore {
        try createPrivately(path)
        try refuseHardLinks(path)
        // Locked by the file itself, not by how it is named: two runs reaching one state file
        // through a link or another spelling of the path must not both run.
        let lock = try StateLock(statePath: resolvedPath(path), description: runDescription)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        configuration.busyMode = .timeout(10)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // Both before the migrations: a migration must not write to a file it cannot trust.
            try pool.read { db in
                try checkIntegrity(db, path: path)
                try refuseNewerSchema(db, path: path)
            }
            try migrator.migrate(pool)
            return StateStore(path: path, pool: pool, lock: lock)
        } catch let error as DatabaseError {
            throw unusable(path, error)
        }
    }

    /// Opens the state file for reading only (`plan`); a missing file reads as empty and is not created.
    public static func openForReading(path: String) throws -> StateStore {
        guard FileManager.default.fileExists(atPath: path) else { return StateStore(path: path, pool: nil, lock: nil) }
        try refuseHardLinks(path)
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            let applied = try pool.read { db in
                try checkIntegrity(db, path: path)
                try refuseNewerSchema(db, path: path)
                return try migrator.appliedIdentifiers(db)
            }
            guard applied.isSuperset(of: migrator.migrations) else {
                throw StateFileError(file: path, reason: "state file is from an older keybatch; run provision once to upgrade it")
            }
            return StateStore(path: path, pool: pool, lock: nil)
        } catch let error as DatabaseError {
            throw unusable(path, error)
        }
    }

    /// What to do about a damaged state file, said once for every place that finds one.
    private static let damagedWayOut = """
        a damaged record could revoke or replace a guest's keys, so keybatch will not use it. \
        Move it aside (keep it for inspection) and run again with a new state file: \
        a run without one adopts what Seam already holds and creates nothing twice
        """

    /// Refuses a damaged file before anything trusts it: SQLite's full `integrity_check`, not
    /// `quick_check`, which does not compare indexes with their tables (a reservation id
    /// overwritten in its row still found through the index is the damage that deleted a user).
    /// Cheap enough for every run: 0.07 s on a 48 MB state of 100,000 reservations (`quick_check`
    /// 0.05 s; SQLite 3.40, warm cache; `plan` of one row against that state took 0.11-0.17 s in all).
    private static func checkIntegrity(_ db: Database, path: String) throws {
        let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check(5)")
        guard problems != ["ok"] else { return }
        let shown = problems.prefix(3).joined(separator: "; ")
        throw StateFileError(file: path, reason: "state file is damaged (SQLite integrity check: \(shown)); \(damagedWayOut)")
    }

    /// Refuses a file migrated by a newer keybatch, whose meaning this one cannot know (a new
    /// status, a column it would not keep up to date); named by the migration identifiers.
    private static func refuseNewerSchema(_ db: Database, path: String) throws {
        let known = migrator.migrations
        let unknown = try migrator.appliedIdentifiers(db).subtracting(known).sorted()
        guard !unknown.isEmpty else { return }
        throw StateFileError(file: path, reason: """
            state file was written by a newer keybatch (schema \(unknown.joined(separator: ", ")); \
            this keybatch \(KeyBatchVersion.current) knows up to \(known.last ?? "none")); \
            use that newer keybatch, or move the file aside and run with a new state file (a run without one adopts what Seam holds)
            """)
    }

    /// A SQLite error opening the file: a damaged file gets the damaged message, anything else
    /// (not a database at all, unreadable) says so.
    private static func unusable(_ path: String, _ error: DatabaseError) -> StateFileError {
        if error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            return StateFileError(file: path, reason: "state file is damaged or not a state file (\(error.message ?? error.description)); \(damagedWayOut)")
        }
        return StateFileError(file: path, reason: "not a usable state file: \(error.message ?? error.description)")
    }

    /// Refuses a state file with more than one name. Each name would get its own lock and its own
    /// `-wal` journal, so two runs could write it at once (duplicating keys) and SQLite could lose
    /// writes (a known way to corrupt it); one name, one lock.
    private static func refuseHardLinks(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink > 1 else { return }
        throw StateFileError(file: path, reason: """
            state file has \(info.st_nlink) names (hard links): each name would get its own lock and its own -wal journal, \
            so two runs could use it at once and damage it. Remove the other names (find them with `find / -xdev -samefile \(path)`), \
            or give keybatch a copy made with `sqlite3 \(path) ".backup copy.sqlite"`
            """)
    }

    private init(path: String, pool: DatabasePool?, lock: StateLock?) {
        self.path = path
        self.pool = pool
        self.lock = lock
    }

    /// Versioned schema; a later version adds a migration, never edits one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE reservations (
                    reservation_id TEXT PRIMARY KEY NOT NULL,
                    fingerprint TEXT NOT NULL,
                    guest_email TEXT NOT NULL,
                    listing_id TEXT NOT NULL,
                    acs_system_id TEXT NOT NULL,
                    check_in_ms INTEGER NOT NULL,
                    check_out_ms INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    user_identity_id TEXT,
                    acs_user_id TEXT,
                    acs_credential_id TEXT,
                    access_group_ids TEXT NOT NULL DEFAULT '',
                    schedule_starts_ms INTEGER,
                    schedule_ends_ms INTEGER,
                    pending_create TEXT,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    last_error TEXT,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    last_run_id INTEGER
                );
                CREATE TABLE runs (
                    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
                    command TEXT NOT NULL,
                    input_path TEXT NOT NULL,
                    input_sha256 TEXT,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    outcome TEXT,
                    counts TEXT
                );
                """)
        }
        migrator.registerMigration("v2") { db in
            // Seam is the truth: what a row still waits for the site to confirm, and what the
            // site refused (its Seam error code), so the next run re-checks or retries it.
            try db.execute(sql: """
                ALTER TABLE reservations ADD COLUMN awaiting TEXT;
                ALTER TABLE reservations ADD COLUMN refusal TEXT;
                """)
        }
        migrator.registerMigration("v3") { db in
            // One ACS user per guest and site (Seam's model): the ids move from the reservations
            // to their guest's site; users of the old one-per-reservation model other than the
            // kept one are listed for retirement (deleted once the kept one is confirmed).
            try db.execute(sql: """
                CREATE TABLE guest_sites (
                    guest_email TEXT NOT NULL,
                    acs_system_id TEXT NOT NULL,
                    user_identity_id TEXT,
                    acs_user_id TEXT,
                    acs_credential_id TEXT,
                    access_group_ids TEXT NOT NULL DEFAULT '',
                    schedule_starts_ms INTEGER,
                    schedule_ends_ms INTEGER,
                    pending_create TEXT,
                    awaiting TEXT,
                    refusal TEXT,
                    last_error TEXT,
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (guest_email, acs_system_id)
                );
                ALTER TABLE reservations ADD COLUMN link_owed INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE retired_users (
                    acs_user_id TEXT PRIMARY KEY NOT NULL,
                    guest_email TEXT NOT NULL,
                    acs_system_id TEXT NOT NULL,
                    acs_credential_id TEXT
                );
                """)
            try OldModelMigration.migrate(db, now: Timestamp.now())
        }
        return migrator
    }

    // MARK: Reading

    /// One statement, so SQLite's implicit statement transaction is all the isolation it needs;
    /// skipping GRDB's explicit read transaction saves a BEGIN/COMMIT per row of a rerun.
    public func record(for reservationID: String) throws -> StateRecord? {
        guard let pool else { return nil }
        return try pool.unsafeRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM reservations WHERE reservation_id = :id"), arguments: ["id": reservationID])
                .map { try Self.record(from: $0, file: path) }
        }
    }

    /// Stays that may hold access (or be owed it): not revoked or cleaned.
    private static let active = "status IN ('partial', 'provisioned', 'deferred', 'ending')"

    /// Records of stays that may hold access, for `--sync` and the visits of guests whose other
    /// stays the file no longer lists.
    public func activeRecords() throws -> [StateRecord] {
        guard let pool else { return [] }
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM reservations WHERE \(Self.active) ORDER BY reservation_id")
                .map { try Self.record(from: $0, file: path) }
        }
    }

    /// Every guest's user on every site the state knows, with the users still to retire.
    public func siteRecords() throws -> [GuestSite: GuestSiteRecord] {
        guard let pool else { return [:] }
        return try pool.read { db in
            var sites: [GuestSite: GuestSiteRecord] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM guest_sites") {
                let record = try Self.siteRecord(from: row, file: path)
                sites[record.site] = record
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM retired_users ORDER BY acs_user_id") {
                let site = GuestSite(guestEmail: row["guest_email"], acsSystemID: row["acs_system_id"])
                sites[site, default: GuestSiteRecord(site: site)].retired.append(RetiredUser(acsUserID: row["acs_user_id"], acsCredentialID: row["acs_credential_id"]))
            }
            return sites
        }
    }

    /// When a create was last announced and not yet resolved (the newest `updated_at` of a site
    /// with a pending user or key create; memberships to re-read are no create), or nil when none is pending. A run killed moments ago may have such
    /// a create still in flight at Seam (see `ProvisioningRun.waitForCreatesInFlight`).
    public func newestUnresolvedCreate() throws -> Timestamp? {
        guard let pool else { return nil }
        let newest = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT MAX(updated_at) FROM guest_sites WHERE pending_create IN ('acs_user', 'credential')")
        }
        guard let newest, case .instant(let instant)? = TimestampParser.parse(newest) else { return nil }
        return instant
    }

    /// Every record, for `export` and `--verify`'s strangers.
    public func allRecords() throws -> [StateRecord] {
        guard let pool else { return [] }
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM reservations ORDER BY reservation_id").map { try Self.record(from: $0, file: path) }
        }
    }

    public func runs() throws -> [[String: String]] {
        guard let pool else { return [] }
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY run_id").map { row in
                Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0].map { "\($0)" } ?? "") })
            }
        }
    }

    /// A record as stored; a status this version does not know is an error, never a guess:
    /// guessing `partial` for a revoked row would hand a cancelled guest a key again.
    private static func record(from row: Row, file: String) throws -> StateRecord {
        let reservationID: String = row["reservation_id"]
        let statusText: String = row["status"]
        guard let status = StateRecord.Status(rawValue: statusText) else {
            throw StateFileError(file: file, reason: "reservation \(reservationID): unknown status '\(statusText)' (written by a newer keybatch, or edited by hand)")
        }
        var record = StateRecord(
            reservationID: reservationID, fingerprint: Fingerprint(value: row["fingerprint"]),
            guestEmail: row["guest_email"], listingID: row["listing_id"], acsSystemID: row["acs_system_id"],
            checkIn: Timestamp(millisecondsSinceEpoch: row["check_in_ms"]), checkOut: Timestamp(millisecondsSinceEpoch: row["check_out_ms"]),
            status: status, attempts: row["attempts"], lastError: row["last_error"]
        )
        record.linkOwed = (row["link_owed"] as Int?) == 1
        return record
    }

    private static func siteRecord(from row: Row, file: String) throws -> GuestSiteRecord {
        let site = GuestSite(guestEmail: row["guest_email"], acsSystemID: row["acs_system_id"])
        let startsAt: Int64? = row["schedule_starts_ms"]
        let endsAt: Int64? = row["schedule_ends_ms"]
        let schedule = startsAt.flatMap { start in endsAt.map { AccessSchedule(startsAt: Timestamp(millisecondsSinceEpoch: start), endsAt: Timestamp(millisecondsSinceEpoch: $0)) } }
        let groups: String = row["access_group_ids"]
        let keys = ProvisionedKeys(
            userIdentityID: row["user_identity_id"], acsUserID: row["acs_user_id"],
            accessGroupIDs: groups.isEmpty ? [] : groups.split(separator: ";").map(String.init),
            acsCredentialID: row["acs_credential_id"], schedule: schedule
        )
        let pendingText: String? = row["pending_create"]
        let pending = try pendingText.map { text in
            guard let step = ProvisioningStep(rawValue: text) else {
                throw StateFileError(file: file, reason: "\(site): unknown pending_create '\(text)'")
            }
            return step
        }
        let awaitingText: String? = row["awaiting"]
        let awaiting = try awaitingText.map { text in
            guard let kind = ActionKind(rawValue: text) else {
                throw StateFileError(file: file, reason: "\(site): unknown awaiting '\(text)'")
            }
            return kind
        }
        return GuestSiteRecord(site: site, keys: keys, pendingCreate: pending, awaiting: awaiting, refusal: row["refusal"])
    }

    // MARK: Writing (each call is one durable transaction)

    /// Every write runs to completion even when the row's task is cancelled (drain deadline, 401):
    /// an id Seam has just returned must reach the file, or the next run pays a lookup for it.
    private func write(_ updates: @escaping @Sendable (Database) throws -> Void) async throws {
        guard let pool else { throw StateFileError(file: path, reason: "state file opened read-only") }
        try await Task { try await pool.write(updates) }.value
    }

    /// Records what a reservation asks for; creates the record if new. Its status is `partial`
    /// until the row is settled, `ending` for a cancellation (never a live stay again).
    public func upsertDesired(_ reservation: Reservation, listing: Listing, runID: Int64?) async throws {
        let now = Timestamp.now().iso8601
        let fingerprint = Fingerprint(reservation, listing: listing).value
        try await write { db in
            try db.execute(sql: """
                INSERT INTO reservations (reservation_id, fingerprint, guest_email, listing_id, acs_system_id, check_in_ms, check_out_ms,
                                          status, attempts, created_at, updated_at, last_run_id)
                VALUES (:reservationID, :fingerprint, :guestEmail, :listingID, :acsSystemID, :checkIn, :checkOut,
                        :status, 1, :now, :now, :runID)
                ON CONFLICT(reservation_id) DO UPDATE SET
                    fingerprint = excluded.fingerprint, guest_email = excluded.guest_email, listing_id = excluded.listing_id,
                    acs_system_id = excluded.acs_system_id, check_in_ms = excluded.check_in_ms, check_out_ms = excluded.check_out_ms,
                    status = excluded.status, attempts = attempts + 1, updated_at = excluded.updated_at, last_run_id = excluded.last_run_id
                """, arguments: ["reservationID": reservation.reservationID, "fingerprint": fingerprint, "guestEmail": reservation.guestEmail,
                                 "listingID": listing.listingID, "acsSystemID": listing.acsSystemID,
                                 "checkIn": reservation.checkIn.millisecondsSinceEpoch, "checkOut": reservation.checkOut.millisecondsSinceEpoch,
                                 "now": now, "runID": runID, "status": reservation.status == .cancelled ? "ending" : "partial"])
        }
    }

    /// A finished results file holds these reservations' links (or Seam's refusal of them): owed
    /// no more. Until then a link is owed, so a results file lost at the end (a full disk) never
    /// loses a guest's link silently: the next run asks again.
    public func linksDelivered(_ reservationIDs: [String]) async throws {
        guard !reservationIDs.isEmpty else { return }
        try await write { db in
            let statement = try db.makeStatement(sql: "UPDATE reservations SET link_owed = 0 WHERE reservation_id = :id")
            for id in reservationIDs { try statement.execute(arguments: ["id": id]) }
        }
    }

    /// Where a reservation stands once its row is done (its site's work accepted, or none needed).
    public func settle(reservationID: String, status: StateRecord.Status, owesLink: Bool = false) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: """
                UPDATE reservations SET status = :status, last_error = NULL, updated_at = :now,
                    link_owed = CASE WHEN :owes THEN 1 ELSE link_owed END
                WHERE reservation_id = :id
                """, arguments: ["status": status.rawValue, "now": now, "id": reservationID, "owes": owesLink])
        }
    }

    /// A reservation whose row stopped short: `partial` with the error, so the next run resumes it;
    /// a cancellation (`ending`, or `revoked` before the site refused the deletion) stays `ending`,
    /// so it never counts as a live stay again.
    public func failReservation(reservationID: String, error: String) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: """
                UPDATE reservations SET status = CASE WHEN status IN ('ending', 'revoked') THEN 'ending' ELSE 'partial' END, last_error = :error,
                    updated_at = :now WHERE reservation_id = :id
                """,
                           arguments: ["error": error, "now": now, "id": reservationID])
        }
    }

    /// The site's record, created when new (one statement: an insert that does nothing when the
    /// row exists), so every site write below is an update.
    private static func ensureSite(_ db: Database, _ site: GuestSite, now: String) throws {
        try db.execute(sql: """
            INSERT INTO guest_sites (guest_email, acs_system_id, updated_at) VALUES (:email, :system, :now)
            ON CONFLICT(guest_email, acs_system_id) DO NOTHING
            """, arguments: ["email": site.guestEmail, "system": site.acsSystemID, "now": now])
    }

    public func setPendingCreate(_ step: ProvisioningStep, site: GuestSite) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try Self.ensureSite(db, site, now: now)
            try db.execute(sql: "UPDATE guest_sites SET pending_create = :step, updated_at = :now WHERE guest_email = :email AND acs_system_id = :system",
                           arguments: ["step": step.rawValue, "now": now, "email": site.guestEmail, "system": site.acsSystemID])
        }
    }

    /// An announced create is resolved only once its id is known (or the user was deleted):
    /// clearing it on any other write would let a later run trust "nothing exists" and create twice.
    private static let pendingResolution = """
        CASE WHEN :deleted THEN NULL
             WHEN pending_create = 'acs_user' AND :acsUserID IS NOT NULL THEN NULL
             WHEN pending_create = 'credential' AND :acsCredentialID IS NOT NULL THEN NULL
             WHEN pending_create = 'access_groups' AND :groupsSeen THEN NULL
             ELSE pending_create END
        """

    /// Stores the keys Seam holds for a guest on a site, resolving a pending create whose id they
    /// now include; `awaiting` nil leaves the column as it is, `.some(nil)` clears it. `deleted`:
    /// the user was deleted (its id, kept to confirm the deletion, resolves a pending user create).
    /// `groupsSeen`: the groups are what Seam showed (and was then told), resolving memberships
    /// the state could not vouch for.
    public func saveSite(_ site: GuestSite, keys: ProvisionedKeys, awaiting: ActionKind?? = nil, error: String? = nil,
                         deleted: Bool = false, groupsSeen: Bool = false) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try Self.ensureSite(db, site, now: now)
            try db.execute(sql: """
                UPDATE guest_sites SET user_identity_id = :userIdentityID, acs_user_id = :acsUserID,
                    acs_credential_id = :acsCredentialID, access_group_ids = :accessGroupIDs,
                    schedule_starts_ms = :scheduleStarts, schedule_ends_ms = :scheduleEnds,
                    pending_create = \(Self.pendingResolution),
                    last_error = :error, updated_at = :now,
                    awaiting = CASE WHEN :setsAwaiting THEN :awaiting ELSE awaiting END,
                    refusal = CASE WHEN :setsAwaiting THEN NULL ELSE refusal END
                WHERE guest_email = :email AND acs_system_id = :system
                """, arguments: ["userIdentityID": keys.userIdentityID, "acsUserID": keys.acsUserID, "acsCredentialID": keys.acsCredentialID,
                                 "accessGroupIDs": keys.accessGroupIDs.joined(separator: ";"),
                                 "scheduleStarts": keys.schedule?.startsAt.millisecondsSinceEpoch,
                                 "scheduleEnds": keys.schedule?.endsAt.millisecondsSinceEpoch,
                                 "deleted": deleted, "error": error, "now": now, "email": site.guestEmail, "system": site.acsSystemID,
                                 "groupsSeen": groupsSeen, "setsAwaiting": awaiting != nil, "awaiting": awaiting??.rawValue])
        }
    }

    /// The site applied what the last run asked; a confirmed deletion also forgets the user.
    public func confirmSite(_ site: GuestSite, forgetACSUser: Bool) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: """
                UPDATE guest_sites SET awaiting = NULL, refusal = NULL, updated_at = :now,
                    acs_user_id = CASE WHEN :forget THEN NULL ELSE acs_user_id END,
                    acs_credential_id = CASE WHEN :forget THEN NULL ELSE acs_credential_id END,
                    access_group_ids = CASE WHEN :forget THEN '' ELSE access_group_ids END,
                    schedule_starts_ms = CASE WHEN :forget THEN NULL ELSE schedule_starts_ms END,
                    schedule_ends_ms = CASE WHEN :forget THEN NULL ELSE schedule_ends_ms END
                WHERE guest_email = :email AND acs_system_id = :system
                """, arguments: ["now": now, "forget": forgetACSUser, "email": site.guestEmail, "system": site.acsSystemID])
        }
    }

    /// The site refused (or lost) what Seam accepted: the ids are kept with the refusal's code, so
    /// the next run deletes the refused user and makes it again (or deletes again).
    public func refuseSite(_ site: GuestSite, code: String, message: String) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: """
                UPDATE guest_sites SET awaiting = NULL, refusal = :code, last_error = :error, updated_at = :now
                WHERE guest_email = :email AND acs_system_id = :system
                """, arguments: ["code": code, "error": "\(code): \(message)", "now": now, "email": site.guestEmail, "system": site.acsSystemID])
        }
    }

    /// The site's work stopped short: only the error is recorded. Every id Seam returned was
    /// saved as it came (and a deletion's id is kept until confirmed), so a failure's partial view
    /// must never overwrite them.
    public func failSite(_ site: GuestSite, error: String) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try Self.ensureSite(db, site, now: now)
            try db.execute(sql: "UPDATE guest_sites SET last_error = :error, updated_at = :now WHERE guest_email = :email AND acs_system_id = :system",
                           arguments: ["error": error, "now": now, "email": site.guestEmail, "system": site.acsSystemID])
        }
    }

    /// The site rolled the user's schedule back: the state forgets the schedule it sent, so the next
    /// run sees the visit not held and sends it again (the user and its key stay).
    public func forgetSchedule(_ site: GuestSite, error: String) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: """
                UPDATE guest_sites SET schedule_starts_ms = NULL, schedule_ends_ms = NULL, awaiting = NULL, last_error = :error, updated_at = :now
                WHERE guest_email = :email AND acs_system_id = :system
                """, arguments: ["error": error, "now": now, "email": site.guestEmail, "system": site.acsSystemID])
        }
    }

    /// The site rolled the user's memberships back (or someone changed them): the state no longer
    /// vouches for them (`pending_create = 'access_groups'`), so the next run reads them from Seam
    /// and adds or removes the difference (the user and its key stay).
    public func forgetGroups(_ site: GuestSite, error: String) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: """
                UPDATE guest_sites SET pending_create = COALESCE(pending_create, 'access_groups'), awaiting = NULL, last_error = :error,
                    updated_at = :now
                WHERE guest_email = :email AND acs_system_id = :system
                """, arguments: ["error": error, "now": now, "email": site.guestEmail, "system": site.acsSystemID])
        }
    }

    /// Other users of the guest on the site, to delete once the kept one is confirmed: recorded
    /// before anything else is done with them, so no crash loses track of one.
    public func retire(_ users: [RetiredUser], site: GuestSite) async throws {
        guard !users.isEmpty else { return }
        try await write { db in
            for user in users {
                try db.execute(sql: """
                    INSERT INTO retired_users (acs_user_id, guest_email, acs_system_id, acs_credential_id)
                    VALUES (:id, :email, :system, :credential)
                    ON CONFLICT(acs_user_id) DO UPDATE SET acs_credential_id = COALESCE(excluded.acs_credential_id, acs_credential_id)
                    """, arguments: ["id": user.acsUserID, "email": site.guestEmail, "system": site.acsSystemID, "credential": user.acsCredentialID])
            }
        }
    }

    /// Seam no longer has a retired user (deleted, and the deletion accepted).
    public func retiredGone(acsUserID: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM retired_users WHERE acs_user_id = :id", arguments: ["id": acsUserID])
        }
    }

    /// Records stays as provisioned on their guests' sites in one transaction: for building large
    /// states in benchmarks and tests.
    public func importProvisioned(_ entries: [(reservation: Reservation, listing: Listing, keys: ProvisionedKeys)]) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            let reservations = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO reservations (reservation_id, fingerprint, guest_email, listing_id, acs_system_id, check_in_ms,
                    check_out_ms, status, attempts, created_at, updated_at)
                VALUES (:reservationID, :fingerprint, :guestEmail, :listingID, :acsSystemID, :checkIn, :checkOut, 'provisioned', 1, :now, :now)
                """)
            let sites = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO guest_sites (guest_email, acs_system_id, user_identity_id, acs_user_id, acs_credential_id,
                    access_group_ids, schedule_starts_ms, schedule_ends_ms, updated_at)
                VALUES (:guestEmail, :acsSystemID, :userIdentityID, :acsUserID, :acsCredentialID, :accessGroupIDs, :scheduleStarts,
                        :scheduleEnds, :now)
                """)
            for entry in entries {
                let keys = entry.keys
                try reservations.execute(arguments: [
                    "reservationID": entry.reservation.reservationID, "fingerprint": Fingerprint(entry.reservation, listing: entry.listing).value,
                    "guestEmail": entry.reservation.guestEmail, "listingID": entry.listing.listingID, "acsSystemID": entry.listing.acsSystemID,
                    "checkIn": entry.reservation.checkIn.millisecondsSinceEpoch, "checkOut": entry.reservation.checkOut.millisecondsSinceEpoch,
                    "now": now])
                try sites.execute(arguments: [
                    "guestEmail": entry.reservation.guestEmail, "acsSystemID": entry.listing.acsSystemID,
                    "userIdentityID": keys.userIdentityID, "acsUserID": keys.acsUserID, "acsCredentialID": keys.acsCredentialID,
                    "accessGroupIDs": keys.accessGroupIDs.joined(separator: ";"), "scheduleStarts": keys.schedule?.startsAt.millisecondsSinceEpoch,
                    "scheduleEnds": keys.schedule?.endsAt.millisecondsSinceEpoch, "now": now])
            }
        }
    }

    public func beginRun(command: String, inputPath: String, inputSHA256: String?) async throws -> Int64 {
        let now = Timestamp.now().iso8601
        guard let pool else { return 0 }
        return try await pool.write { db in
            try db.execute(sql: "INSERT INTO runs (command, input_path, input_sha256, started_at) VALUES (:command, :inputPath, :sha256, :now)",
                           arguments: ["command": command, "inputPath": inputPath, "sha256": inputSHA256, "now": now])
            return db.lastInsertedRowID
        }
    }

    public func finishRun(_ runID: Int64, outcome: String, counts: [String: Int]) async throws {
        let now = Timestamp.now().iso8601
        let json = String(decoding: try JSONSerialization.data(withJSONObject: counts, options: [.sortedKeys]), as: UTF8.self)
        try await write { db in
            try db.execute(sql: "UPDATE runs SET finished_at = :now, outcome = :outcome, counts = :counts WHERE run_id = :runID",
                           arguments: ["now": now, "outcome": outcome, "counts": json, "runID": runID])
        }
    }
}

/// Creates the state file 0600 before SQLite opens it (SQLite would use the umask): it holds guest
/// emails. A free function, because inside `StateStore` the name `open` is its own.
private func createPrivately(_ path: String) throws {
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
        throw StateFileError(file: path, reason: "cannot create state file: \(String(cString: strerror(errno)))")
    }
    close(fd)
}

/// The state file's canonical path (links and `..` resolved), where its lock lives.
private func resolvedPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}
