/// A Seam call that failed for good (after the client's retries).
public struct SeamOperationError: Error, Sendable, CustomStringConvertible {
    /// Seam's error type (`invalid_input`, `acs_user_not_found`, …) or a transport code
    /// (`timeout`, `connection_failed`); it becomes the row's `error_code`.
    public var code: SeamCode
    public var message: String
    /// A bad or revoked API key: no other row can succeed, so the run stops.
    public var isUnauthorized: Bool
    /// The resource a call named does not exist (any more): an id to drop, not a row to fail.
    public var isNotFound: Bool
    /// No connection to Seam could be made (nothing was sent).
    public var neverReachedSeam = false
    /// Every attempt of the call went unanswered (timeouts, dropped connections) until the client
    /// gave up: a silent or trickling Seam (`SeamError.noAnswerOnAnyAttempt`).
    public var noAnswerOnAnyAttempt = false
    /// The failed answer's `seam-request-id`, when Seam answered.
    public var requestID: String?
    /// Seam's own sentence (or the transport's), without the endpoint, status, code and request
    /// id that `message` adds: for a note that names the code itself (`links`' `error_message`).
    public var reason: String?

    public init(code: SeamCode, message: String, isUnauthorized: Bool = false, isNotFound: Bool? = nil) {
        self.code = code
        self.message = message
        self.isUnauthorized = isUnauthorized
        self.isNotFound = isNotFound ?? code.isNotFound
    }

    public var description: String { "\(code): \(message)" }
}
