/// An entry of a Seam resource's `errors` (or a system's): a code to match on and Seam's sentence.
/// A refusal KeyBatch judges itself from what Seam shows (`access_groups_not_held`) travels the
/// same way, so its code is an `ErrorCode`: Seam's (`.seam`) or KeyBatch's own (`.run`).
public struct SeamIssue: Sendable, Hashable {
    public var code: ErrorCode
    public var message: String

    /// An entry Seam shows, under Seam's code.
    public init(seam code: SeamCode, message: String) {
        self.init(code: .seam(code), message: message)
    }

    public init(code: ErrorCode, message: String) {
        self.code = code
        self.message = message
    }
}
