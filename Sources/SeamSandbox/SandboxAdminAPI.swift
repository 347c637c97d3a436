import Foundation
import Hummingbird

/// `/_sandbox/...`: the test controls over HTTP, for tests that drive a separate `keybatch sandbox`
/// process. Authenticated by the admin token (Bearer), never by a workspace API key, and kept off
/// Seam's paths so no client code can hit them by accident. None of them counts as a Seam request.
///
/// | Path | Body | Effect |
/// |---|---|---|
/// | `GET /_sandbox/state` | – | whole state as JSON (what is due settled first) |
/// | `POST /_sandbox/reset` | `{include_controls?}` | data back to the seed |
/// | `POST /_sandbox/rate_limit` | `{workspace_id?, requests_per_second?, burst?}` | set (no rate: lift) |
/// | `POST /_sandbox/latency` | `{route?, fixed_ms?, jitter_ms?}` or `{route?, median_ms, p95_ms}` (heavy-tailed, p95 > median) | set (none: remove) |
/// | `POST /_sandbox/faults` | `{route?, error_500?, error_503?, ambiguous_500?, ambiguous_timeout?, slow_body?, hold_seconds?}` | set (all 0: remove) |
/// | `GET /_sandbox/counters`, `POST /_sandbox/counters/reset` | – | read / zero the counters |
/// | `GET /_sandbox/clock`, `POST /_sandbox/clock` | `{offset_seconds?}` or `{fixed_now?}` or `{advance_seconds?}` or `{}` (system) | read / set the clock |
/// | `GET /_sandbox/provider?workspace_id=` , `POST /_sandbox/provider` | `{workspace_id?, sync_delay_seconds?, deletion_delay_seconds?, refusals?}` | read / set `ProviderBehavior` (no setting: back to the default) |
/// | `POST /_sandbox/acs_system` | `{acs_system_id, subscription_slots?, errors?, warnings?}` | slots and injected conditions of a site |
/// | `GET /_sandbox/max_page_size`, `POST /_sandbox/max_page_size` | `{max_page_size?}` | read / set the page cap (null or absent: none) |
/// | `GET /_sandbox/identity_link_rule?workspace_id=`, `POST /_sandbox/identity_link_rule` | `{workspace_id?, identity_link_rule?: "refuse" \| "allow" \| "refuse_on_site" \| "relink"}` | read / set `IdentityLinkRule` (null or absent: back to the default, `refuse`); answers `{identity_link_rule}` |
/// | `POST /_sandbox/console/acs_users/delete` | `{acs_user_id}` | `SandboxConsole.deleteACSUser` |
/// | `POST /_sandbox/console/acs_credentials/delete` | `{acs_credential_id}` | `SandboxConsole.deleteCredential` |
/// | `POST /_sandbox/console/acs_users/set_access_schedule` | `{acs_user_id, access_schedule: {starts_at, ends_at?} or null}` | `SandboxConsole.setAccessSchedule` |
/// | `POST /_sandbox/console/acs_users/remove_from_access_group` | `{acs_user_id, acs_access_group_id}` | `SandboxConsole.removeFromAccessGroup` |
/// | `POST /_sandbox/console/acs_users/add_to_access_group` | `{acs_user_id, acs_access_group_id}` | `SandboxConsole.addToAccessGroup` |
/// | `POST /_sandbox/console/acs_users/add_error` | `{acs_user_id, error_code, message?}` | `SandboxConsole.addError` |
///
/// Every number is checked against a range before use (a bad one is `400 invalid_input`): a
/// control must never be able to make a later request trap. Arrays hold at most
/// `SeamRequestInput.maximumArrayItems` items, as in Seam's requests.
struct SandboxAdminAPI: Sendable {
    let adminToken: String
    let controls: SandboxControls

    func respond(to request: inout Request, path: String) async -> SandboxHTTPReply {
        guard SandboxResponder.bearerToken(request.headers) == adminToken else {
            return SandboxHTTPReply(error: .unauthorized("The /_sandbox controls need 'Authorization: Bearer <admin token>'."))
        }
        var input: SeamRequestInput
        if request.method == .get {
            input = SeamRequestInput(query: SandboxResponder.queryPairs(request.uri.query))
        } else {
            let buffer = (try? await request.collectBody(upTo: SandboxResponder.maxBodyBytes)) ?? ByteBuffer()
            if buffer.readableBytes == 0 {
                input = SeamRequestInput(body: [:])
            } else {
                guard let object = JSONValue.parse(Data(buffer.readableBytesView))?.objectValue else {
                    return SandboxHTTPReply(error: .invalidInput(field: "body", "Body must be a JSON object"))
                }
                input = SeamRequestInput(body: object)
            }
        }
        do {
            return try handle(path: path, isGET: request.method == .get, input: &input)
        } catch {
            return SandboxHTTPReply(error: error)
        }
    }

    private func handle(path: String, isGET: Bool, input: inout SeamRequestInput) throws(SandboxErrorReply) -> SandboxHTTPReply {
        switch (path, isGET) {
        case ("/_sandbox/state", _):
            let state = JSONValue.parse(controls.dumpState()) ?? .null
            return ok(["state": state])
        case ("/_sandbox/reset", false):
            let includeControls = input.bool("include_controls") ?? false
            try input.throwIfInvalid()
            controls.reset(includingControls: includeControls)
            return ok([:])
        case ("/_sandbox/rate_limit", false):
            let workspaceID = input.string("workspace_id").value
            let rate = input.number("requests_per_second", integer: false, minimum: 0, maximum: Self.maximumRequestsPerSecond)
            let burst = input.integer("burst", minimum: 1, maximum: Self.maximumBurst)
            try input.throwIfInvalid()
            let limit = rate.map { RateLimit(requestsPerSecond: $0, burst: burst ?? max(1, Int($0.rounded(.up)))) }
            controls.setRateLimit(limit, workspaceID: workspaceID)
            return ok([:])
        case ("/_sandbox/latency", false):
            let route = input.string("route").value
            let fixed = input.number("fixed_ms", integer: false, minimum: 0, maximum: LatencyRule.maximumMilliseconds)
            let jitter = input.number("jitter_ms", integer: false, minimum: 0, maximum: LatencyRule.maximumMilliseconds)
            let median = input.number("median_ms", integer: false, minimum: 0, maximum: LatencyRule.maximumMilliseconds)
            let p95 = input.number("p95_ms", integer: false, minimum: 0, maximum: LatencyRule.maximumMilliseconds)
            if (median == nil) != (p95 == nil) { input.fail(median == nil ? "median_ms" : "p95_ms", "Required with the other") }
            if let median, let p95, !(median > 0 && p95 > median) { input.fail("p95_ms", "Must be greater than median_ms, which must be above 0") }
            try input.throwIfInvalid()
            var rule = (fixed == nil && jitter == nil) ? nil : LatencyRule(fixedMilliseconds: fixed ?? 0, jitterMilliseconds: jitter ?? 0)
            if let median, let p95 {
                var tailed = LatencyRule.heavyTailed(medianMilliseconds: median, p95Milliseconds: p95)
                tailed.fixedMilliseconds = fixed ?? 0
                rule = tailed
            }
            controls.setLatency(rule, route: route)
            return ok([:])
        case ("/_sandbox/faults", false):
            let route = input.string("route").value
            func probability(_ name: String) -> Double {
                input.number(name, integer: false, minimum: 0, maximum: 1) ?? 0
            }
            let rule = FaultRule(
                error500: probability("error_500"), error503: probability("error_503"),
                ambiguous500: probability("ambiguous_500"), ambiguousTimeout: probability("ambiguous_timeout"),
                slowBody: probability("slow_body"), dropped: probability("dropped"), holdSeconds: input.number("hold_seconds", integer: false, minimum: 0, maximum: FaultRule.maximumHoldSeconds) ?? 60
            )
            try input.throwIfInvalid()
            let isEmpty = rule.error500 + rule.error503 + rule.ambiguous500 + rule.ambiguousTimeout + rule.slowBody + rule.dropped == 0
            controls.setFaults(isEmpty ? nil : rule, route: route)
            return ok([:])
        case ("/_sandbox/counters", _):
            return ok(["counters": Self.json(controls.counters())])
        case ("/_sandbox/counters/reset", false):
            controls.resetCounters()
            return ok([:])
        case ("/_sandbox/clock", true):
            return ok(["now": .timestamp(controls.now())])
        case ("/_sandbox/clock", false):
            let offset = input.number("offset_seconds", integer: false, minimum: -Self.maximumClockShift, maximum: Self.maximumClockShift)
            let fixed = input.date("fixed_now").value
            let advance = input.number("advance_seconds", integer: false, minimum: -Self.maximumClockShift, maximum: Self.maximumClockShift)
            try input.throwIfInvalid()
            let setting: SandboxClockSetting
            if let fixed {
                setting = .fixed(fixed)
            } else if let offset {
                setting = .offset(offset)
            } else if let advance {
                setting = controls.clockSetting.advanced(by: advance)
            } else {
                setting = .system
            }
            guard SeamTimestamp.writableRange.contains(setting.now(wallClock: Date())) else {
                throw SandboxErrorReply.invalidInput(field: offset != nil ? "offset_seconds" : "advance_seconds", "The clock would leave the years 1970...9999")
            }
            controls.setClock(setting)
            return ok(["now": .timestamp(controls.now())])
        default:
            if let reply = try handleSiteControls(path: path, isGET: isGET, input: &input) { return reply }
            if let reply = try handleConsole(path: path, isGET: isGET, input: &input) { return reply }
            throw SandboxErrorReply(status: 404, type: "not_found", message: "No sandbox control at \(isGET ? "GET" : "POST") \(path).")
        }
    }

    /// Bounds of the admin inputs: generous for any test, small enough that no arithmetic on them
    /// (token refill, `Duration`, dates) can overflow.
    static let maximumRequestsPerSecond = 1_000_000.0
    static let maximumBurst = 1_000_000
    /// About 300 years either way.
    static let maximumClockShift = 10_000_000_000.0

    func ok(_ fields: [String: JSONValue]) -> SandboxHTTPReply {
        var body = fields
        body["ok"] = .bool(true)
        return SandboxHTTPReply(status: 200, body: .object(body))
    }
}
