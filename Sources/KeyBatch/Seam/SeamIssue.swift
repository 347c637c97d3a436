/// An entry of a Seam resource's `errors` (or a system's): a code to match on and Seam's sentence.
public struct SeamIssue: Sendable, Hashable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
