import AsyncHTTPClient
import Foundation
import NIOCore

/// Maps an error thrown by async-http-client/NIO to a ``SeamError``, deciding above all whether
/// the request may have reached Seam (`requestSent`), which makes a create ambiguous.
///
/// Errors raised while connecting (refused, unreachable, TLS handshake, connect timeout, no
/// connection from the pool in time) mean Seam never saw the request. Anything else, including
/// errors we do not recognise, is treated as "maybe sent": the cost of being wrong that way is
/// one extra lookup, while the opposite mistake is a duplicate guest.
enum SeamTransportErrorClassifier {
    static func classify(_ error: any Error, endpoint: String) -> SeamError {
        if let seamError = error as? SeamError { return seamError }
        return SeamError(endpoint: endpoint, kind: kind(of: error))
    }

    static func kind(of error: any Error) -> SeamError.Kind {
        if let httpError = error as? HTTPClientError {
            switch httpError {
            case .connectTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                return .timeout(requestSent: false)
            case .readTimeout, .writeTimeout, .deadlineExceeded:
                return .timeout(requestSent: true)
            case .remoteConnectionClosed:
                return .connectionFailed(requestSent: true, reason: "remote closed the connection")
            case _ where httpError.shortDescription.hasPrefix("Invalid header field"):
                // The request was refused before it went out: nothing was sent.
                return .connectionFailed(requestSent: false, reason: "a request header holds a character HTTP cannot carry (not shown)")
            default:
                // `shortDescription`, never `description`: the latter carries the error's values,
                // and `invalidHeaderFieldValues` quotes the whole `Authorization` header.
                return .connectionFailed(requestSent: true, reason: httpError.shortDescription)
            }
        }
        if let channelError = error as? ChannelError, isConnectTimeout(channelError) {
            return .timeout(requestSent: false)
        }
        if let ioError = error as? IOError {
            let beforeSending: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL]
            return .connectionFailed(
                requestSent: !beforeSending.contains(ioError.errnoCode),
                reason: describe(errno: ioError.errnoCode)
            )
        }
        // NIOConnectionError (NIOPosix) reports every failed connect attempt; we match it by name
        // because SeamAPI does not link NIOPosix directly.
        let typeName = String(reflecting: type(of: error))
        if typeName.hasSuffix("NIOConnectionError") {
            return .connectionFailed(requestSent: false, reason: String(describing: error))
        }
        // TLS: only a failed handshake is before sending; an unclean shutdown or a bad record can
        // come after the request went out, and a create must then be looked up, not resent.
        if typeName.contains("SSLError") {
            let description = String(describing: error)
            return .connectionFailed(requestSent: !description.contains("handshakeFailed"), reason: description)
        }
        return .connectionFailed(requestSent: true, reason: String(describing: error))
    }

    /// `connection refused (errno 111)`: the system's words for the error and its number, not
    /// NIO's description, which nests the same words in parentheses of its own (and in some
    /// versions leaves one unbalanced), inside a summary line that has its own parentheses.
    static func describe(errno code: Int32) -> String {
        var words = String(cString: strerror(code))
        if let first = words.first { words = first.lowercased() + words.dropFirst() }
        return "\(words) (errno \(code))"
    }

    private static func isConnectTimeout(_ error: ChannelError) -> Bool {
        if case .connectTimeout = error { return true }
        return false
    }
}
