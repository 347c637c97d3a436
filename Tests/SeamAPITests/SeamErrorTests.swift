import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
@testable import SeamAPI

@Suite struct SeamErrorTests {
    @Test func decodesSeamErrorBodyWithNestedValidationErrors() throws {
        let body = Data("""
        {"error": {"type": "invalid_input", "message": "Invalid input",
          "validation_errors": {"_errors": [],
            "full_name": {"_errors": ["Required"]},
            "access_schedule": {"_errors": [], "ends_at": {"_errors": ["must be after starts_at", "must be in the future"]}}},
          "request_id": "ignored"}, "ok": false}
        """.utf8)
        let error = SeamError.fromHTTPResponse(
            endpoint: "acs/users/create", status: 400, body: body, requestID: "req_1", retryAfter: nil)
        #expect(error.status == 400)
        #expect(error.type == "invalid_input")
        #expect(error.message == "Invalid input")
        #expect(error.requestID == "req_1")
        let validation = try #require(error.validationErrors)
        #expect(validation.fieldMessages == [
            "full_name": ["Required"],
            "access_schedule.ends_at": ["must be after starts_at", "must be in the future"],
        ])
        #expect(!error.isRetryable)
        #expect(!error.isAmbiguous)
        #expect(error.description.contains("acs/users/create"))
        #expect(error.description.contains("req_1"))
        #expect(error.description.contains("access_schedule.ends_at: must be after starts_at, must be in the future"))
    }

    @Test func nonJSON401MapsToUnauthorized() {
        let error = SeamError.fromHTTPResponse(
            endpoint: "acs/systems/list", status: 401, body: Data("Unauthorized".utf8), requestID: nil, retryAfter: nil)
        #expect(error.type == "unauthorized")
        #expect(error.isUnauthorized)
        #expect(!error.isRetryable)
    }

    @Test func emptyBodyStillGivesATypeFromTheStatus() {
        let notFound = SeamError.fromHTTPResponse(endpoint: "e", status: 404, body: Data(), requestID: nil, retryAfter: nil)
        #expect(notFound.type == "not_found")
        #expect(notFound.isNotFound)
        let gateway = SeamError.fromHTTPResponse(
            endpoint: "e", status: 502, body: Data("<html>Bad gateway</html>".utf8), requestID: nil, retryAfter: nil)
        #expect(gateway.type == "server_error")
        #expect(gateway.message.contains("Bad gateway"))
        #expect(gateway.isRetryable && gateway.isAmbiguous)
    }

    @Test func notFoundTypeComesFromTheBody() {
        let body = Data(#"{"error":{"type":"acs_user_not_found","message":"ACS user not found"}}"#.utf8)
        let error = SeamError.fromHTTPResponse(endpoint: "acs/users/get", status: 404, body: body, requestID: nil, retryAfter: nil)
        #expect(error.type == "acs_user_not_found")
        #expect(error.isNotFound)
        #expect(error.validationErrors == nil)
    }

    @Test func rateLimitIsRetryableButNotAmbiguous() {
        let error = SeamError.fromHTTPResponse(endpoint: "e", status: 429, body: Data(), requestID: nil, retryAfter: 3)
        #expect(error.isRetryable && !error.isAmbiguous && error.isRateLimited)
        #expect(error.retryAfter == 3)
    }

    @Test func transportClassification() {
        let cases: [(any Error, retryable: Bool, ambiguous: Bool)] = [
            (HTTPClientError.connectTimeout, true, false),
            (HTTPClientError.getConnectionFromPoolTimeout, true, false),
            (HTTPClientError.readTimeout, true, true),
            (HTTPClientError.deadlineExceeded, true, true),
            (HTTPClientError.remoteConnectionClosed, true, true),
            (IOError(errnoCode: ECONNREFUSED, reason: "connect"), true, false),
            (IOError(errnoCode: ECONNRESET, reason: "read"), true, true),
            (ChannelError.connectTimeout(.seconds(10)), true, false),
            (URLError(.unknown), true, true),
        ]
        for (error, retryable, ambiguous) in cases {
            let seamError = SeamTransportErrorClassifier.classify(error, endpoint: "user_identities/create")
            #expect(seamError.isRetryable == retryable, "\(error)")
            #expect(seamError.isAmbiguous == ambiguous, "\(error)")
            #expect(seamError.status == nil)
        }
    }

    @Test func undecodableSuccessIsAmbiguousButNotRetried() {
        let error = SeamError(endpoint: "acs/credentials/create", kind: .undecodableResponse(status: 200, reason: "missing acs_credential"))
        #expect(error.isAmbiguous)
        #expect(!error.isRetryable)
    }
}
