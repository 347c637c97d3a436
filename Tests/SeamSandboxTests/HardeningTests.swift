import AsyncHTTPClient
import Foundation
import Testing
@testable import SeamSandbox

/// No input may crash or hang the sandbox: each of these once trapped it (issue "Hardening").
@Suite struct HardeningTests {
    static let listRoutes = ["/acs/users/list", "/acs/credentials/list", "/user_identities/list"]

    /// The server still answers after whatever the test sent.
    private func expectAlive(_ client: SandboxTestClient) async throws {
        #expect(try await client.post("/acs/systems/list").status == 200)
    }

    @Test(arguments: listRoutes)
    func hugeLimitsAreClampedNotTrapped(route: String) async throws {
        try await withSandbox { client in
            _ = try await client.createGuest(email: "h@example.com", reservation: "r-h")
            for body in [#"{"limit": 3.4e38}"#, #"{"limit": 9.3e18}"#, #"{"limit": 9223372036854775807}"#, #"{"limit": 1e308}"#] {
                let reply = try await client.postRaw(route, body: body)
                #expect(reply.status == 200, "\(route) \(body)")
                #expect(reply.json["pagination"]?["has_next_page"] == false)
            }
            try await expectAlive(client)
        }
    }

    @Test(arguments: listRoutes)
    func nonFiniteLimitsInTheQueryAreInvalidInput(route: String) async throws {
        try await withSandbox { client in
            for value in ["inf", "-inf", "nan", "infinity", "1e400"] {
                let reply = try await client.get(route, query: "limit=\(value)")
                #expect(reply.status == 400 && reply.errorType == "invalid_input", "\(route) limit=\(value)")
                #expect(reply.validationErrors("limit").count == 1)
            }
            try await expectAlive(client)
        }
    }

    @Test func aNumberBeyondDoubleInABodyIsInvalidInput() async throws {
        try await withSandbox { client in
            let reply = try await client.postRaw("/acs/users/list", body: #"{"limit": 1e400}"#)
            #expect(reply.status == 400 && reply.errorType == "invalid_input")
            try await expectAlive(client)
        }
    }

    @Test func zeroLimitIsInvalidWhereTheSpecSaysIntegerAboveZero() async throws {
        try await withSandbox { client in
            for route in ["/acs/users/list", "/user_identities/list"] {
                let reply = try await client.post(route, ["limit": 0])
                #expect(reply.status == 400 && reply.validationErrors("limit") == ["Number must be greater than 0"], "\(route)")
                let viaGET = try await client.get(route, query: "limit=0")
                #expect(viaGET.status == 400, "\(route)")
            }
        }
    }

    @Test func credentialsListTakesAnyFiniteLimitAndAlwaysMakesProgress() async throws {
        try await withSandbox { client in
            let userID = try await client.createGuest(email: "c@example.com", reservation: "r-c")
            for _ in 0..<3 { _ = try await client.createMobileKey(acsUserID: userID) }
            for limit: JSONValue in [0, -5, 0.5, 1.9] {
                let reply = try await client.post("/acs/credentials/list", ["limit": limit])
                #expect(reply.status == 200, "limit \(limit.serialized())")
                #expect(reply.json["acs_credentials"]?.arrayValue?.count == 1)
                #expect(reply.json["pagination"]?["has_next_page"] == true)
            }
        }
    }

    @Test func adminNumbersOutOfRangeAreInvalidInputAndTheNextRequestLives() async throws {
        try await withSandbox { client in
            let cases: [(String, JSONValue, String)] = [
                ("/_sandbox/rate_limit", ["requests_per_second": 1e300], "requests_per_second"),
                ("/_sandbox/rate_limit", ["requests_per_second": 1, "burst": 1e300], "burst"),
                ("/_sandbox/clock", ["offset_seconds": 1e300], "offset_seconds"),
                ("/_sandbox/clock", ["advance_seconds": 1e300], "advance_seconds"),
                ("/_sandbox/clock", ["advance_seconds": -1e300], "advance_seconds"),
                ("/_sandbox/latency", ["fixed_ms": 1e300], "fixed_ms"),
                ("/_sandbox/latency", ["jitter_ms": 1e300], "jitter_ms"),
                ("/_sandbox/faults", ["error_500": 1e300], "error_500"),
                ("/_sandbox/faults", ["ambiguous_timeout": 0.5, "hold_seconds": 1e300], "hold_seconds"),
                ("/_sandbox/provider", ["sync_delay_seconds": 1e300], "sync_delay_seconds"),
                ("/_sandbox/provider", ["deletion_delay_seconds": 1e300], "deletion_delay_seconds"),
                ("/_sandbox/max_page_size", ["max_page_size": 1e300], "max_page_size"),
                ("/_sandbox/acs_system", ["acs_system_id": .string(SandboxTestClient.buildingA), "subscription_slots": 1e300], "subscription_slots"),
            ]
            for (path, body, field) in cases {
                let reply = try await client.admin(path, body)
                #expect(reply.status == 400 && reply.errorType == "invalid_input", "\(path) \(body.serialized())")
                #expect(reply.validationErrors(field).count == 1, "\(path) \(body.serialized())")
                try await expectAlive(client)
            }
            // An offset within the accepted range that would still leave 1970...9999 is refused too.
            let farPast = try await client.admin("/_sandbox/clock", ["offset_seconds": -9_000_000_000])
            #expect(farPast.status == 400 && farPast.validationErrors("offset_seconds").count == 1)
            try await expectAlive(client)
        }
    }

    @Test func extremeSettingsFromSwiftAreBoundedAtUse() async throws {
        try await withSandbox { client in
            client.controls.setClock(.offset(1e300))
            let identity = try await client.post("/user_identities/create", ["full_name": "Far"])
            #expect(identity.status == 200)
            #expect(identity.json["user_identity"]?["created_at"] == "9999-12-31T23:59:59.999Z")
            client.controls.setClock(.system)
            client.controls.setRateLimit(RateLimit(requestsPerSecond: 1e-300, burst: 1))
            _ = try await client.post("/acs/systems/list")
            let limited = try await client.post("/acs/systems/list")
            #expect(limited.status == 429 && limited.headers.first(name: "Retry-After") == "3600")
            client.controls.setRateLimit(nil)
            client.controls.setProviderBehavior(ProviderBehavior(syncDelay: .infinity, deletionDelay: .nan))
            #expect(client.controls.providerBehavior() == ProviderBehavior(syncDelay: ProviderBehavior.maximumDelay, deletionDelay: 0))
            try await expectAlive(client)
        }
        #expect(LatencyRule(fixedMilliseconds: 1e300).delayMilliseconds(random: 0) == LatencyRule.maximumMilliseconds)
        #expect(LatencyRule(fixedMilliseconds: .nan).delayMilliseconds(random: 0) == 0)
        #expect(FaultRule(ambiguousTimeout: 1, holdSeconds: .infinity).boundedHoldSeconds == FaultRule.maximumHoldSeconds)
        #expect(SeamTimestamp.format(Date(timeIntervalSince1970: -1e300)) == "1970-01-01T00:00:00.000Z")
        #expect(TokenBucket.retryAfterHeader(seconds: 1e300) == "3600")
    }

    @Test func deeplyNestedBodiesAreRefusedNotRecursedInto() async throws {
        try await withSandbox { client in
            let depth = 100_000
            let reply = try await client.postRaw("/user_identities/create", body: String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
            #expect(reply.status == 400 && reply.errorType == "invalid_input")
            let nestedObject = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
            let objectReply = try await client.postRaw("/user_identities/create", body: nestedObject)
            #expect(objectReply.status == 400)
            try await expectAlive(client)
        }
    }

    @Test func maxPageSizeForcesSeveralPages() async throws {
        try await withSandbox { client in
            for index in 0..<5 { _ = try await client.createIdentity(email: "page\(index)@example.com") }
            let set = try await client.admin("/_sandbox/max_page_size", ["max_page_size": 2])
            #expect(set.status == 200 && set.json["max_page_size"] == 2)
            var pages = 0
            var seen = 0
            var cursor: JSONValue = nil
            repeat {
                var body: [String: JSONValue] = ["limit": 500]
                if cursor != nil { body["page_cursor"] = cursor }
                let page = try await client.post("/user_identities/list", .object(body))
                pages += 1
                seen += page.json["user_identities"]?.arrayValue?.count ?? 0
                cursor = page.json["pagination"]?["next_page_cursor"] ?? nil
            } while cursor != nil && pages < 10
            #expect(pages == 3 && seen == 5)
            client.controls.setMaxPageSize(nil)
            #expect(try await client.post("/user_identities/list").json["user_identities"]?.arrayValue?.count == 5)
            #expect(try await client.admin("/_sandbox/max_page_size").json["max_page_size"] == .null)
        }
    }

    @Test func methodNotAllowedSaysWhatIsAllowed() async throws {
        try await withSandbox { client in
            let postOnly = try await client.get("/user_identities/create")
            #expect(postOnly.status == 405 && postOnly.headers.first(name: "Allow") == "POST")
            var request = HTTPClientRequest(url: client.server.endpoint + "/acs/users/get")
            request.method = .DELETE
            request.headers.add(name: "Authorization", value: "Bearer \(client.server.apiKey)")
            let both = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(both.status.code == 405 && both.headers.first(name: "Allow") == "GET, POST")
        }
    }

    @Test func anEmptyPageCursorIsTheFirstPage() async throws {
        try await withSandbox { client in
            _ = try await client.createIdentity(email: "first@example.com")
            for route in Self.listRoutes {
                #expect(try await client.post(route, ["page_cursor": ""]).status == 200, "\(route)")
                #expect(try await client.get(route, query: "page_cursor=").status == 200, "\(route)")
            }
            let page = try await client.post("/user_identities/list", ["page_cursor": ""])
            #expect(page.json["user_identities"]?.arrayValue?.count == 1)
        }
    }

    @Test func limitDecisionIsPure() {
        #expect(SeamPagination.effectiveLimit(requested: nil, maxPageSize: nil) == 500)
        #expect(SeamPagination.effectiveLimit(requested: nil, maxPageSize: 3) == 3)
        #expect(SeamPagination.effectiveLimit(requested: 3.4e38, maxPageSize: nil) == SandboxControls.maximumPageSize)
        #expect(SeamPagination.effectiveLimit(requested: 0, maxPageSize: nil) == 1)
        #expect(SeamPagination.effectiveLimit(requested: -1e300, maxPageSize: nil) == 1)
        #expect(SeamPagination.effectiveLimit(requested: 7.9, maxPageSize: 5) == 5)
        #expect(SeamPagination.effectiveLimit(requested: 4.9, maxPageSize: 5) == 4)
    }
}
