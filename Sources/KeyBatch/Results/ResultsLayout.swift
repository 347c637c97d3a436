/// The columns of a results file. `validate` writes the short form; `provision` adds the Seam ids
/// and call counts. Column names are part of the file format documented in README.md.
public enum ResultsLayout: Sendable {
    case validation
    case provisioning
    /// `plan`: what `provision` would do to each row, and the ids the state file already holds.
    case plan

    public var header: [String] {
        switch self {
        case .validation:
            return ["line", "reservation_id", "guest_email", "listing_id", "status", "error_code", "error_message"]
        case .provisioning:
            return ["line", "reservation_id", "guest_email", "listing_id", "status", "user_identity_id", "acs_user_id",
                    "acs_credential_id", "acs_access_group_ids", "action", "error_code", "error_message", "http_calls"]
        case .plan:
            return ["line", "reservation_id", "guest_email", "listing_id", "action", "status", "user_identity_id", "acs_user_id",
                    "acs_credential_id", "error_code", "error_message"]
        }
    }

    public func fields(of row: ResultRow) -> [String] {
        let identity = row.identity
        switch self {
        case .validation:
            return [identity.line > 0 ? String(identity.line) : "", identity.reservationID, identity.guestEmail, identity.listingID,
                    row.status.rawValue, row.errorCode ?? "", row.errorMessage ?? ""]
        case .provisioning:
            return [identity.line > 0 ? String(identity.line) : "", identity.reservationID, identity.guestEmail, identity.listingID,
                    row.status.rawValue, row.userIdentityID ?? "", row.acsUserID ?? "", row.acsCredentialID ?? "",
                    row.accessGroupIDs.joined(separator: ";"), row.action ?? "", row.errorCode ?? "", row.errorMessage ?? "", String(row.httpCalls)]
        case .plan:
            return [identity.line > 0 ? String(identity.line) : "", identity.reservationID, identity.guestEmail, identity.listingID,
                    row.action ?? "", row.status.rawValue, row.userIdentityID ?? "", row.acsUserID ?? "", row.acsCredentialID ?? "",
                    row.errorCode ?? "", row.errorMessage ?? ""]
        }
    }
}
