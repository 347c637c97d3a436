import Foundation
import Testing
@testable import SeamAPI

@Suite struct RetryPolicyTests {
    private func httpError(_ status: Int, type: String = "x", retryAfter: TimeInterval? = nil) -> SeamError {
        SeamError(endpoint: "acs/users/get", kind: .http(status: status, type: type, message: "m"), retryAfter: retryAfter)
    }

    @Test func backoffCeilingDoublesFromBaseAndIsCapped() {
        let policy = ExponentialBackoffRetryPolicy(base: 0.2, cap: 20, maxAttempts: 20)
        #expect(policy.backoffCeiling(attempt: 1) == 0.2)
        #expect(policy.backoffCeiling(attempt: 2) == 0.4)
        #expect(policy.backoffCeiling(attempt: 4) == 1.6)
        #expect(policy.backoffCeiling(attempt: 8) == 20)
        #expect(policy.backoffCeiling(attempt: 1000) == 20)
    }

    @Test func fullJitterSpansZeroToCeiling() throws {
        let low = ExponentialBackoffRetryPolicy(base: 0.2, cap: 20, randomUnit: { 0 })
        let high = ExponentialBackoffRetryPolicy(base: 0.2, cap: 20, randomUnit: { 0.999_999 })
        let middle = ExponentialBackoffRetryPolicy(base: 0.2, cap: 20, randomUnit: { 0.5 })
        let error = httpError(503)
        #expect(low.retryDelay(after: error, attempt: 3) == 0)
        let highDelay = try #require(high.retryDelay(after: error, attempt: 3))
        #expect(highDelay > 0.79 && highDelay < 0.8)
        #expect(middle.retryDelay(after: error, attempt: 3) == 0.4)
    }

    @Test func realRandomDelaysStayWithinTheWindow() throws {
        let policy = ExponentialBackoffRetryPolicy(base: 0.2, cap: 1, maxAttempts: 10)
        for attempt in 1...9 {
            for _ in 0..<50 {
                let delay = try #require(policy.retryDelay(after: httpError(500), attempt: attempt))
                #expect(delay >= 0 && delay <= policy.backoffCeiling(attempt: attempt))
            }
        }
    }

    @Test func stopsAtMaxAttempts() {
        let policy = ExponentialBackoffRetryPolicy(maxAttempts: 3, randomUnit: { 0.5 })
        #expect(policy.retryDelay(after: httpError(500), attempt: 1) != nil)
        #expect(policy.retryDelay(after: httpError(500), attempt: 2) != nil)
        #expect(policy.retryDelay(after: httpError(500), attempt: 3) == nil)
    }

    @Test(arguments: [429, 500, 502, 503, 504])
    func retriesRateLimitAndServerErrors(status: Int) {
        #expect(ExponentialBackoffRetryPolicy().retryDelay(after: httpError(status), attempt: 1) != nil)
    }

    @Test(arguments: [400, 401, 403, 404, 409, 422])
    func neverRetriesClientErrors(status: Int) {
        #expect(ExponentialBackoffRetryPolicy().retryDelay(after: httpError(status), attempt: 1) == nil)
    }

    @Test func retriesTransportFailuresButNotUndecodableBodies() {
        let policy = ExponentialBackoffRetryPolicy()
        let timeout = SeamError(endpoint: "e", kind: .timeout(requestSent: true))
        let refused = SeamError(endpoint: "e", kind: .connectionFailed(requestSent: false, reason: "refused"))
        let garbage = SeamError(endpoint: "e", kind: .undecodableResponse(status: 200, reason: "bad"))
        #expect(policy.retryDelay(after: timeout, attempt: 1) != nil)
        #expect(policy.retryDelay(after: refused, attempt: 1) != nil)
        #expect(policy.retryDelay(after: garbage, attempt: 1) == nil)
    }

    @Test func rateLimitWaitsAtLeastRetryAfter() {
        let policy = ExponentialBackoffRetryPolicy(base: 0.2, cap: 20, maxAttempts: 10, randomUnit: { 0.5 })
        #expect(policy.retryDelay(after: httpError(429, retryAfter: 7), attempt: 1) == 7)
        // A backoff longer than Retry-After wins.
        #expect(policy.retryDelay(after: httpError(429, retryAfter: 0.01), attempt: 5) == 1.6)
    }
}
