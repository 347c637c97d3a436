/// The columns of a results file. `validate` writes the short form; `provision` adds the Seam ids
/// and call counts. Column names are part of the file format documented in README.md.
public enum ResultsLayout: Sendable, Equatable {
    case validation
    /// With `instantKeys`, two last columns `instant_key_url`, `instant_key_expires_at` (`--instant-keys`).
    case provisioning(instantKeys: Bool)
    /// `plan`: what `provision` would do to each row, and the ids the state file already holds.
    case plan
    /// `export`: one row per ACS user (`ExportRow`), not per input row.
    case export
    /// `links`: a provision results file copied row for row with its instant-key columns filled
    /// (`LinksRun`); the columns are the file's own, so they are carried here.
    case links(columns: [String])

    /// The file holds links that open doors: it is always 0600, whatever mode an earlier file
    /// of the same name had.
    public var holdsKeyLinks: Bool {
        switch self {
        case .provisioning(instantKeys: true), .links: return true
        default: return false
        }
    }

    public var header: [String] {
        switch self {
        case .validation:
            return ["line", "reservation_id", "guest_email", "listing_id", "status", "error_code", "error_message"]
        case .provisioning(let instantKeys):
            return ["line", "reservation_id", "guest_email", "listing_id", "status", "user_identity_id", "acs_user_id",
                    "acs_credential_id", "acs_access_group_ids", "action", "error_code", "error_message", "http_calls", "seam_warnings"]
                + (instantKeys ? ["instant_key_url", "instant_key_expires_at"] : [])
        case .plan:
            return ["line", "reservation_id", "guest_email", "listing_id", "action", "status", "user_identity_id", "acs_user_id",
                    "acs_credential_id", "error_code", "error_message"]
        case .export:
            return ExportRow.header
        case .links(let columns):
            return columns
        }
    }

    public func fields(of row: ResultRow) -> [String] {
        var fields: [String] = []
        forEachField(of: row) { fields.append($0) }
        return fields
    }

    /// Hands `row`'s fields to `body` in column order: what `fields(of:)` returns, without an
    /// array per row, for writers that stream them.
    public func forEachField<Failure: Error>(of row: ResultRow, _ body: (String) throws(Failure) -> Void) throws(Failure) {
        let identity = row.identity
        try body(identity.line > 0 ? String(identity.line) : "")
        try body(identity.reservationID)
        try body(identity.guestEmail)
        try body(identity.listingID)
        switch self {
        case .validation:
            try body(row.status.rawValue)
            try body(row.errorCode?.rawValue ?? "")
            try body(row.errorMessage ?? "")
        case .provisioning(let instantKeys):
            try body(row.status.rawValue)
            try body(row.userIdentityID ?? "")
            try body(row.acsUserID ?? "")
            try body(row.acsCredentialID ?? "")
            try body(row.accessGroupIDs.joined(separator: ";"))
            try body(row.action?.rawValue ?? "")
            try body(row.errorCode?.rawValue ?? "")
            try body(row.errorMessage ?? "")
            try body(String(row.httpCalls))
            try body(row.seamWarnings.joined(separator: ";"))
            if instantKeys {
                try body(row.instantKeyURL ?? "")
                try body(row.instantKeyExpiresAt ?? "")
            }
        case .export:
            preconditionFailure("export rows are ExportRow, written with ResultsWriter.write(_: ExportRow)")
        case .links:
            preconditionFailure("links rows are the results file's own fields, written with ResultsWriter.write(fields:)")
        case .plan:
            try body(row.action?.rawValue ?? "")
            try body(row.status.rawValue)
            try body(row.userIdentityID ?? "")
            try body(row.acsUserID ?? "")
            try body(row.acsCredentialID ?? "")
            try body(row.errorCode?.rawValue ?? "")
            try body(row.errorMessage ?? "")
        }
    }
}
