/// A Seam call that failed for good (after the client's retries).
public struct SeamOperationError: Error, Sendable, CustomStringConvertible {
    /// Seam's error type (`invalid_input`, `acs_user_not_found`, …) or a transport code
    /// (`timeout`, `connection_failed`); it becomes the row's `error_code`.
    public var code: String
    public var message: String
    /// A bad or revoked API key: no other row can succeed, so the run stops.
    public var isUnauthorized: Bool

    public init(code: String, message: String, isUnauthorized: Bool = false) {
        self.code = code
        self.message = message
        self.isUnauthorized = isUnauthorized
    }

    public var description: String { "\(code): \(message)" }
}
