import Foundation

/// A failed Seam call, with what a batch runner needs to decide what to do next.
///
/// Messages name the endpoint and the `seam-request-id` (for Seam support), never the API key.
public struct SeamError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, at the HTTP or transport level.
    public enum Kind: Sendable, Equatable {
        /// Seam answered with a non-2xx status. `type` comes from the error body (`invalid_input`,
        /// `acs_user_not_found`, …) or is derived from the status when the body is not JSON.
        case http(status: Int, type: String, message: String)
        /// The attempt ran out of time. `requestSent` is false only when the connection itself
        /// could not be opened in time, so Seam cannot have seen the request.
        case timeout(requestSent: Bool)
        /// The connection failed or dropped. `requestSent` false means it failed while connecting.
        case connectionFailed(requestSent: Bool, reason: String)
        /// A 2xx response whose body does not match the expected shape; the call took effect.
        case undecodableResponse(status: Int, reason: String)
    }

    /// The Seam path, e.g. `acs/users/create`.
    public var endpoint: String
    public var kind: Kind
    /// `seam-request-id` response header, when a response arrived.
    public var requestID: String?
    /// Decoded `validation_errors`, for `400 invalid_input`.
    public var validationErrors: SeamValidationErrors?
    /// Parsed `Retry-After` in seconds (from seconds or an HTTP date), for 429 and 503.
    public var retryAfter: TimeInterval?
    /// The call was given up after every one of its attempts ended without an answer from Seam
    /// (timeouts, lost or refused connections) and the retry policy allowed no more. Set by
    /// `SeamClient.send` and `createIdempotently` when they give up, never for one attempt; a call
    /// that got any answer (even a 500) on some attempt does not have it.
    public var noAnswerOnAnyAttempt = false

    public init(
        endpoint: String,
        kind: Kind,
        requestID: String? = nil,
        validationErrors: SeamValidationErrors? = nil,
        retryAfter: TimeInterval? = nil
    ) {
        self.endpoint = endpoint
        self.kind = kind
        self.requestID = requestID
        self.validationErrors = validationErrors
        self.retryAfter = retryAfter
    }

    /// HTTP status, when Seam answered.
    public var status: Int? {
        switch kind {
        case .http(let status, _, _), .undecodableResponse(let status, _): status
        case .timeout, .connectionFailed: nil
        }
    }

    /// Seam's error `type`, or a transport label (`timeout`, `connection_failed`, `undecodable_response`).
    public var type: String {
        switch kind {
        case .http(_, let type, _): type
        case .timeout: "timeout"
        case .connectionFailed: "connection_failed"
        case .undecodableResponse: "undecodable_response"
        }
    }

    /// Seam's error message, or a description of the transport failure.
    public var message: String {
        switch kind {
        case .http(_, _, let message): message
        case .timeout(let sent): sent ? "no response before the timeout" : "could not connect before the timeout"
        case .connectionFailed(let sent, let reason): (sent ? "connection lost: " : "could not connect: ") + reason
        case .undecodableResponse(_, let reason): "unexpected response body: " + reason
        }
    }

    /// Seam never saw the request: the connection could not be made (refused, DNS, connect
    /// timeout, TLS). Unlike a read timeout, this says nothing answered at all.
    public var neverReachedSeam: Bool {
        switch kind {
        case .timeout(let sent), .connectionFailed(let sent, _): !sent
        case .http, .undecodableResponse: false
        }
    }

    /// This attempt got no answer at all: it timed out, or the connection failed or dropped.
    public var isUnanswered: Bool {
        switch kind {
        case .timeout, .connectionFailed: true
        case .http, .undecodableResponse: false
        }
    }

    /// Seam is out of reach as far as this call can tell: nothing could even be sent
    /// (`neverReachedSeam`, a refused connection), or nothing came back on any attempt
    /// (`noAnswerOnAnyAttempt`, a Seam that accepts connections and never answers, or trickles its
    /// answers slower than the request timeout). No later call would fare better, so a run should
    /// stop on it as on a 401 rather than let every row wait out the same timeouts. Unlike
    /// `neverReachedSeam` it says nothing about whether a create may have landed.
    public var isUnreachable: Bool { neverReachedSeam || noAnswerOnAnyAttempt }

    /// The resource is gone (or never was): a 404, or any `*_not_found` error type whatever the
    /// status, since Seam names the missing resource in the type (`acs_user_not_found`) and does
    /// not promise which status carries it.
    public var isNotFound: Bool { status == 404 || type.hasSuffix("_not_found") }
    public var isRateLimited: Bool { status == 429 }
    public var isUnauthorized: Bool { status == 401 || type == "unauthorized" }

    /// Worth trying again: rate limiting, server errors, timeouts and connection failures.
    /// Other 4xx (validation, auth, not found, conflicts) will fail the same way again.
    public var isRetryable: Bool {
        switch kind {
        case .http(let status, _, _): status == 429 || status == 408 || (500...599).contains(status)
        case .timeout, .connectionFailed: true
        case .undecodableResponse: false
        }
    }

    /// The request may have been applied even though we did not get a usable success:
    /// a timeout or dropped connection after sending, any 5xx (a gateway can fail after the
    /// backend committed), or a 2xx we could not read. Before repeating a non-idempotent
    /// create after such a failure, look the resource up first.
    public var isAmbiguous: Bool {
        switch kind {
        case .http(let status, _, _): (500...599).contains(status)
        case .timeout(let sent): sent
        case .connectionFailed(let sent, _): sent
        case .undecodableResponse: true
        }
    }

    /// Sent, and no answer came back (a timeout or a connection lost after sending, a gateway
    /// timeout): Seam may still be carrying the request out, and a lookup made now can miss what
    /// it is about to create. A 5xx that Seam itself answered is not this: whatever it did is done.
    public var mayStillLand: Bool {
        switch kind {
        case .http(let status, _, _): status == 504
        case .timeout(let sent): sent
        case .connectionFailed(let sent, _): sent
        case .undecodableResponse: false
        }
    }

    public var description: String {
        var text = "Seam \(endpoint) failed: "
        if let status { text += "HTTP \(status) " }
        text += "\(type): \(message)"
        if let validationErrors, !validationErrors.isEmpty { text += " [\(validationErrors.summary)]" }
        if let retryAfter { text += " (retry after \(retryAfter)s)" }
        if let requestID { text += " (seam-request-id \(requestID))" }
        return text
    }
}
