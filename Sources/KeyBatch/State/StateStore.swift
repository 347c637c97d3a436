import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SQLite state file: one row per reservation ever seen, one row per run.
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

    /// Records that may still hold keys: not revoked or cleaned, or revoked and not yet confirmed gone.
    private static let active = "status IN ('partial', 'provisioned') OR awaiting IN ('revoke', 'cleanup')"

    /// Records still holding keys (not revoked or cleaned), for `--sync`.
    public func activeRecords() throws -> [StateRecord] {
        guard let pool else { return [] }
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM reservations WHERE \(Self.active) ORDER BY reservation_id")
                .map { try Self.record(from: $0, file: path) }
        }
    }

    /// When a create was last announced and not yet resolved (the newest `updated_at` of a record
    /// with a pending create), or nil when none is pending. A run killed moments ago may have such
    /// a create still in flight at Seam (see `ProvisioningRun.waitForCreatesInFlight`).
    public func newestUnresolvedCreate() throws -> Timestamp? {
        guard let pool else { return nil }
        let newest = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT MAX(updated_at) FROM reservations WHERE pending_create IS NOT NULL")
        }
        guard let newest, case .instant(let instant)? = TimestampParser.parse(newest) else { return nil }
        return instant
    }

    /// Every record, for `export` (a revoked reservation whose ACS user Seam still holds is drift).
    public func allRecords() throws -> [StateRecord] {
        guard let pool else { return [] }
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM reservations ORDER BY reservation_id").map { try Self.record(from: $0, file: path) }
        }
    }

    /// How many reservations hold keys: the base of the `--max-revocations` default.
    public func activeCount() throws -> Int {
        guard let pool else { return 0 }
        return try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reservations WHERE \(Self.active)") ?? 0
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

    /// A record as stored; a status or pending step this version does not know is an error, never
    /// a guess: guessing `partial` for a revoked row would hand a cancelled guest a key again.
    private static func record(from row: Row, file: String) throws -> StateRecord {
        let startsAt: Int64? = row["schedule_starts_ms"]
        let endsAt: Int64? = row["schedule_ends_ms"]
        let schedule = startsAt.flatMap { start in endsAt.map { AccessSchedule(startsAt: Timestamp(millisecondsSinceEpoch: start), endsAt: Timestamp(millisecondsSinceEpoch: $0)) } }
        let groups: String = row["access_group_ids"]
        let keys = ProvisionedKeys(
            userIdentityID: row["user_identity_id"], acsUserID: row["acs_user_id"],
            accessGroupIDs: groups.isEmpty ? [] : groups.split(separator: ";").map(String.init),
            acsCredentialID: row["acs_credential_id"], schedule: schedule
        )
        let reservationID: String = row["reservation_id"]
        let statusText: String = row["status"]
        guard let status = StateRecord.Status(rawValue: statusText) else {
            throw StateFileError(file: file, reason: "reservation \(reservationID): unknown status '\(statusText)' (written by a newer keybatch, or edited by hand)")
        }
        let pendingText: String? = row["pending_create"]
        let pending = try pendingText.map { text in
            guard let step = ProvisioningStep(rawValue: text) else {
                throw StateFileError(file: file, reason: "reservation \(reservationID): unknown pending_create '\(text)'")
            }
            return step
        }
        let awaitingText: String? = row["awaiting"]
        let awaiting = try awaitingText.map { text in
            guard let kind = ActionKind(rawValue: text) else {
                throw StateFileError(file: file, reason: "reservation \(reservationID): unknown awaiting '\(text)'")
            }
            return kind
        }
        return StateRecord(
            reservationID: reservationID, fingerprint: Fingerprint(value: row["fingerprint"]),
            guestEmail: row["guest_email"], listingID: row["listing_id"], acsSystemID: row["acs_system_id"],
            checkIn: Timestamp(millisecondsSinceEpoch: row["check_in_ms"]), checkOut: Timestamp(millisecondsSinceEpoch: row["check_out_ms"]),
            status: status, keys: keys,
            pendingCreate: pending, attempts: row["attempts"], lastError: row["last_error"],
            awaiting: awaiting, refusal: row["refusal"]
        )
    }

    // MARK: Writing (each call is one durable transaction)

    /// Every write runs to completion even when the row's task is cancelled (drain deadline, 401):
    /// an id Seam has just returned must reach the file, or the next run pays a lookup for it.
    private func write(_ updates: @escaping @Sendable (Database) throws -> Void) async throws {
        guard let pool else { throw StateFileError(file: path, reason: "state file opened read-only") }
        try await Task { try await pool.write(updates) }.value
    }

    /// Records what a reservation asks for, keeping what Seam holds; creates the record if new.
    public func upsertDesired(_ reservation: Reservation, listing: Listing, runID: Int64?) async throws {
        let now = Timestamp.now().iso8601
        let fingerprint = Fingerprint(reservation, listing: listing).value
        try await write { db in
            try db.execute(sql: """
                INSERT INTO reservations (reservation_id, fingerprint, guest_email, listing_id, acs_system_id, check_in_ms, check_out_ms,
                                          status, attempts, created_at, updated_at, last_run_id)
                VALUES (:reservationID, :fingerprint, :guestEmail, :listingID, :acsSystemID, :checkIn, :checkOut,
                        'partial', 1, :now, :now, :runID)
                ON CONFLICT(reservation_id) DO UPDATE SET
                    fingerprint = excluded.fingerprint, guest_email = excluded.guest_email, listing_id = excluded.listing_id,
                    acs_system_id = excluded.acs_system_id, check_in_ms = excluded.check_in_ms, check_out_ms = excluded.check_out_ms,
                    status = 'partial', attempts = attempts + 1, updated_at = excluded.updated_at, last_run_id = excluded.last_run_id,
                    awaiting = NULL, refusal = NULL
                """, arguments: ["reservationID": reservation.reservationID, "fingerprint": fingerprint, "guestEmail": reservation.guestEmail,
                                 "listingID": listing.listingID, "acsSystemID": listing.acsSystemID,
                                 "checkIn": reservation.checkIn.millisecondsSinceEpoch, "checkOut": reservation.checkOut.millisecondsSinceEpoch,
                                 "now": now, "runID": runID])
        }
    }

    public func setPendingCreate(_ step: ProvisioningStep, reservationID: String) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: "UPDATE reservations SET pending_create = :step, updated_at = :now WHERE reservation_id = :reservationID",
                           arguments: ["step": step.rawValue, "now": now, "reservationID": reservationID])
        }
    }

    /// An announced create is resolved only once its id is known (or everything was deleted):
    /// clearing it on any other write would let a later run trust "nothing exists" and create twice.
    private static let pendingResolution = """
        CASE WHEN :status IN ('revoked', 'cleaned') THEN NULL
             WHEN pending_create = 'acs_user' AND :acsUserID IS NOT NULL THEN NULL
             WHEN pending_create = 'credential' AND :acsCredentialID IS NOT NULL THEN NULL
             ELSE pending_create END
        """

    /// Stores the keys Seam holds, resolving a pending create whose id they now include, and
    /// optionally the status.
    public func saveKeys(_ keys: ProvisionedKeys, reservationID: String, status: StateRecord.Status? = nil) async throws {
        try await updateKeys(keys, reservationID: reservationID, status: status?.rawValue, error: nil)
    }

    /// A row reached its goal as far as Seam's answers go; `awaiting` is what the Salto KS site
    /// has yet to confirm (nil: nothing, or confirmation is not asked for).
    /// One statement, so a crash never leaves a row `provisioned` without what it awaits.
    public func finish(_ keys: ProvisionedKeys, reservationID: String, status: StateRecord.Status, awaiting: ActionKind?) async throws {
        try await updateKeys(keys, reservationID: reservationID, status: status.rawValue, error: nil, awaiting: .some(awaiting))
    }

    /// The site applied what the row asked for; a confirmed deletion also forgets the ACS user id.
    public func confirm(reservationID: String, forgetACSUser: Bool) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: """
                UPDATE reservations SET awaiting = NULL, refusal = NULL, updated_at = :now,
                    acs_user_id = CASE WHEN :forget THEN NULL ELSE acs_user_id END
                WHERE reservation_id = :reservationID
                """, arguments: ["now": now, "forget": forgetACSUser, "reservationID": reservationID])
        }
    }

    /// The site refused (or lost) what Seam accepted: the row is `partial` with the refusal's code,
    /// the ids kept, so the next run retries it (see `Planner`) and `--sync` keeps a refused deletion.
    public func refuse(reservationID: String, code: String, message: String) async throws {
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: """
                UPDATE reservations SET awaiting = NULL, refusal = :code, status = 'partial', last_error = :error, updated_at = :now
                WHERE reservation_id = :reservationID
                """, arguments: ["code": code, "error": "\(code): \(message)", "now": now, "reservationID": reservationID])
        }
    }

    /// Records a row that stopped short: the keys as far as they got (ids of deleted resources
    /// already cleared), the error, and status `partial` so the next run resumes it.
    public func recordFailure(_ keys: ProvisionedKeys, reservationID: String, error: String) async throws {
        try await updateKeys(keys, reservationID: reservationID, status: StateRecord.Status.partial.rawValue, error: error)
    }

    /// `awaiting`: nil leaves the column as it is; `.some(nil)` clears it.
    private func updateKeys(_ keys: ProvisionedKeys, reservationID: String, status: String?, error: String?,
                            awaiting: ActionKind?? = nil) async throws {
        // Named arguments: `pendingResolution` reads the status and ids the SET clause also writes.
        let now = Timestamp.now().iso8601
        try await write { db in
            try db.execute(sql: """
                UPDATE reservations SET user_identity_id = :userIdentityID, acs_user_id = :acsUserID,
                    acs_credential_id = :acsCredentialID, access_group_ids = :accessGroupIDs,
                    schedule_starts_ms = :scheduleStarts, schedule_ends_ms = :scheduleEnds,
                    pending_create = \(Self.pendingResolution),
                    status = COALESCE(:status, status), last_error = :error, updated_at = :now,
                    awaiting = CASE WHEN :setsAwaiting THEN :awaiting ELSE awaiting END
                WHERE reservation_id = :reservationID
                """, arguments: ["userIdentityID": keys.userIdentityID, "acsUserID": keys.acsUserID, "acsCredentialID": keys.acsCredentialID,
                                 "accessGroupIDs": keys.accessGroupIDs.joined(separator: ";"),
                                 "scheduleStarts": keys.schedule?.startsAt.millisecondsSinceEpoch,
                                 "scheduleEnds": keys.schedule?.endsAt.millisecondsSinceEpoch,
                                 "status": status, "error": error, "now": now, "reservationID": reservationID,
                                 "setsAwaiting": awaiting != nil, "awaiting": awaiting??.rawValue])
        }
    }

    /// Records reservations as provisioned with the given keys in one transaction: for adopting
    /// resources an earlier tool created, and for building large states in benchmarks.
    public func importProvisioned(_ entries: [(reservation: Reservation, listing: Listing, keys: ProvisionedKeys)]) async throws {
        let now = Timestamp.now().iso8601
        let rows = entries.map { entry -> StatementArguments in
            let keys = entry.keys
            return ["reservationID": entry.reservation.reservationID, "fingerprint": Fingerprint(entry.reservation, listing: entry.listing).value,
                    "guestEmail": entry.reservation.guestEmail, "listingID": entry.listing.listingID, "acsSystemID": entry.listing.acsSystemID,
                    "checkIn": entry.reservation.checkIn.millisecondsSinceEpoch, "checkOut": entry.reservation.checkOut.millisecondsSinceEpoch,
                    "userIdentityID": keys.userIdentityID, "acsUserID": keys.acsUserID, "acsCredentialID": keys.acsCredentialID,
                    "accessGroupIDs": keys.accessGroupIDs.joined(separator: ";"), "scheduleStarts": keys.schedule?.startsAt.millisecondsSinceEpoch,
                    "scheduleEnds": keys.schedule?.endsAt.millisecondsSinceEpoch, "now": now]
        }
        try await write { db in
            let statement = try db.makeStatement(sql: """
                INSERT OR REPLACE INTO reservations (reservation_id, fingerprint, guest_email, listing_id, acs_system_id, check_in_ms,
                    check_out_ms, status, user_identity_id, acs_user_id, acs_credential_id, access_group_ids, schedule_starts_ms,
                    schedule_ends_ms, attempts, created_at, updated_at)
                VALUES (:reservationID, :fingerprint, :guestEmail, :listingID, :acsSystemID, :checkIn, :checkOut, 'provisioned',
                        :userIdentityID, :acsUserID, :acsCredentialID, :accessGroupIDs, :scheduleStarts, :scheduleEnds, 1, :now, :now)
                """)
            for arguments in rows { try statement.execute(arguments: arguments) }
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
