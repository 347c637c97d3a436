import GRDB

/// State version 3: from one ACS user per reservation (KeyBatch before 0.19) to one per guest and
/// site. Run once, inside the migration's transaction.
///
/// For each guest and site it keeps one user: the one whose stay ends first among those not yet
/// over (the stay of the current visit, so a guest in the middle of a stay keeps the key in their
/// hand), else the oldest. Its ids become the site's; every other user of the guest there
/// (including one whose deletion was sent and not confirmed) is listed in `retired_users`, to be
/// deleted only after the site confirms the kept user with the visit's schedule and groups. The
/// site's schedule is left as the kept user's, so the next run sees it differ from the visit and
/// moves it; a pending user create anywhere in the group is kept, so the next run looks the
/// guest's users up before trusting the kept one alone.
enum OldModelMigration {
    private struct OldRow {
        var reservationID: String
        var site: GuestSite
        var status: String
        var identity: String?
        var user: String?
        var credential: String?
        var groups: String
        var startsAt: Int64?
        var endsAt: Int64?
        var pending: String?
        var awaiting: String?
        var refusal: String?
        var checkOut: Int64
        var createdAt: String

        /// Seam may hold this row's user: a live stay's, or a deletion not yet confirmed.
        var holdsUser: Bool {
            user != nil && (status == "partial" || status == "provisioned" || awaiting == "revoke" || awaiting == "cleanup")
        }
        /// A live stay's user, and not one whose deletion Seam already accepted.
        var isLive: Bool { (status == "partial" || status == "provisioned") && awaiting != "revoke" && awaiting != "cleanup" }
    }

    static func migrate(_ db: Database, now: Timestamp) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM reservations").map { row in
            OldRow(reservationID: row["reservation_id"], site: GuestSite(guestEmail: row["guest_email"], acsSystemID: row["acs_system_id"]),
                   status: row["status"], identity: row["user_identity_id"], user: row["acs_user_id"], credential: row["acs_credential_id"],
                   groups: row["access_group_ids"], startsAt: row["schedule_starts_ms"], endsAt: row["schedule_ends_ms"],
                   pending: row["pending_create"], awaiting: row["awaiting"], refusal: row["refusal"], checkOut: row["check_out_ms"],
                   createdAt: row["created_at"])
        }
        let stamp = now.iso8601
        for (site, group) in Dictionary(grouping: rows, by: \.site) {
            let holders = group.filter(\.holdsUser)
            let live = holders.filter(\.isLive)
            // A user the site refused is kept only when there is no other.
            let candidates = live.contains { $0.refusal == nil } ? live.filter { $0.refusal == nil } : live
            let kept = candidates.filter { $0.checkOut > now.millisecondsSinceEpoch }.min { ($0.checkOut, $0.createdAt) < ($1.checkOut, $1.createdAt) }
                ?? candidates.min { ($0.createdAt, $0.reservationID) < ($1.createdAt, $1.reservationID) }
            let identity = kept?.identity ?? group.compactMap(\.identity).first
            let pendingUser = group.contains { $0.pending == "acs_user" && $0.isLive }
            guard kept != nil || identity != nil || pendingUser || !holders.isEmpty else { continue }
            let pending = pendingUser ? "acs_user" : kept?.pending
            // What the site had yet to confirm of the kept user stays to be confirmed.
            let awaiting: String? = kept?.awaiting == nil ? nil : "update"
            try db.execute(sql: """
                INSERT INTO guest_sites (guest_email, acs_system_id, user_identity_id, acs_user_id, acs_credential_id, access_group_ids,
                                         schedule_starts_ms, schedule_ends_ms, pending_create, awaiting, refusal, updated_at)
                VALUES (:email, :system, :identity, :user, :credential, :groups, :startsAt, :endsAt, :pending, :awaiting, :refusal, :now)
                """, arguments: ["email": site.guestEmail, "system": site.acsSystemID, "identity": identity, "user": kept?.user,
                                 "credential": kept?.credential, "groups": kept?.groups ?? "", "startsAt": kept?.startsAt, "endsAt": kept?.endsAt,
                                 "pending": pending, "awaiting": awaiting, "refusal": kept?.refusal, "now": stamp])
            for old in holders where old.user != kept?.user {
                try db.execute(sql: """
                    INSERT INTO retired_users (acs_user_id, guest_email, acs_system_id, acs_credential_id) VALUES (:user, :email, :system, :credential)
                    ON CONFLICT(acs_user_id) DO NOTHING
                    """, arguments: ["user": old.user, "email": site.guestEmail, "system": site.acsSystemID, "credential": old.credential])
            }
        }
        // A deletion sent and not confirmed is now the retired user's to see through; a stay with
        // no key yet starts over on its guest's site.
        try db.execute(sql: """
            UPDATE reservations SET user_identity_id = NULL, acs_user_id = NULL, acs_credential_id = NULL, access_group_ids = '',
                schedule_starts_ms = NULL, schedule_ends_ms = NULL, pending_create = NULL, awaiting = NULL, refusal = NULL
            """)
    }
}
