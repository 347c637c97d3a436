import Foundation

/// Seam's error envelope: `{"error": {"type", "message", "validation_errors"?, "data"?}}`.
/// Every field is optional so a partial or future body still yields what it can.
struct SeamErrorBody: Decodable {
    struct Details: Decodable {
        var type: String?
        var message: String?
        var validationErrors: SeamValidationErrors?

        enum CodingKeys: String, CodingKey {
            case type
            case message
            case validationErrors = "validation_errors"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
            message = try? container.decodeIfPresent(String.self, forKey: .message)
            validationErrors = try? container.decodeIfPresent(SeamValidationErrors.self, forKey: .validationErrors)
        }
    }

    var error: Details?
}

extension SeamError {
    /// Turns a non-2xx response into a ``SeamError``.
    ///
    /// A body that is not Seam's JSON envelope (a proxy's HTML page, an empty 401) still gives a
    /// usable type: `unauthorized` for 401, as the official SDKs do, else one derived from the status.
    public static func fromHTTPResponse(
        endpoint: String,
        status: Int,
        body: Data,
        requestID: String?,
        retryAfter: TimeInterval?
    ) -> SeamError {
        let details = (try? JSONDecoder().decode(SeamErrorBody.self, from: body))?.error
        let type = details?.type.flatMap { $0.isEmpty ? nil : $0 } ?? fallbackType(forStatus: status)
        let message = details?.message ?? fallbackMessage(status: status, body: body)
        return SeamError(
            endpoint: endpoint,
            kind: .http(status: status, type: type, message: message),
            requestID: requestID,
            validationErrors: details?.validationErrors.flatMap { $0.isEmpty ? nil : $0 },
            retryAfter: retryAfter
        )
    }

    static func fallbackType(forStatus status: Int) -> String {
        switch status {
        case 400: "invalid_input"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 408: "request_timeout"
        case 409: "conflict"
        case 429: "too_many_requests"
        case 500...599: "server_error"
        default: "http_\(status)"
        }
    }

    private static func fallbackMessage(status: Int, body: Data) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ")
            .trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? "HTTP \(status) with an empty body" : "HTTP \(status): \(text)"
    }
}
