/// What Seam's current answer says of one expectation.
public enum ConfirmationVerdict: Sendable, Hashable {
    /// Seam shows what the row asked for; `warnings` are the user's and the key's warning codes.
    case confirmed(warnings: [String])
    /// Not yet: `reason` says what Seam is still doing (for the results' message).
    case pending(reason: String)
    /// The site refused: Seam's error code and message.
    case refused(SeamIssue)
    /// What was made is gone before it was confirmed (deleted in Seam's console): reported like a
    /// refusal, with `acs_user_not_found` or `acs_credential_not_found`, and remade next run.
    case missing(SeamIssue)
}
