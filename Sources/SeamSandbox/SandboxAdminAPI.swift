import Foundation
import Hummingbird

/// `/_sandbox/...`: the test controls over HTTP, for tests that drive a separate `keybatch sandbox`
/// process. Authenticated by the admin token (Bearer), never by a workspace API key, and kept off
/// Seam's paths so no client code can hit them by accident.
///
/// | Path | Body | Effect |
/// |---|---|---|
/// | `GET /_sandbox/state` | – | whole state as JSON |
/// | `POST /_sandbox/reset` | `{include_controls?}` | data back to the seed |
/// | `POST /_sandbox/rate_limit` | `{workspace_id?, requests_per_second?, burst?}` | set (no rate: lift) |
/// | `POST /_sandbox/latency` | `{route?, fixed_ms?, jitter_ms?}` | set (neither: remove) |
/// | `POST /_sandbox/faults` | `{route?, error_500?, error_503?, ambiguous_500?, ambiguous_timeout?, hold_seconds?}` | set (all 0: remove) |
/// | `GET /_sandbox/counters`, `POST /_sandbox/counters/reset` | – | read / zero the counters |
/// | `GET /_sandbox/clock`, `POST /_sandbox/clock` | `{offset_seconds?}` or `{fixed_now?}` or `{advance_seconds?}` or `{}` (system) | read / set the clock |
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
            let rate = input.number("requests_per_second", integer: false, minimum: 0)
            let burst = input.number("burst", integer: true, minimum: 1)
            try input.throwIfInvalid()
            let limit = rate.map { RateLimit(requestsPerSecond: $0, burst: Int(burst ?? max(1, $0.rounded(.up)))) }
            controls.setRateLimit(limit, workspaceID: workspaceID)
            return ok([:])
        case ("/_sandbox/latency", false):
            let route = input.string("route").value
            let fixed = input.number("fixed_ms", integer: false, minimum: 0)
            let jitter = input.number("jitter_ms", integer: false, minimum: 0)
            try input.throwIfInvalid()
            let rule = (fixed == nil && jitter == nil) ? nil : LatencyRule(fixedMilliseconds: fixed ?? 0, jitterMilliseconds: jitter ?? 0)
            controls.setLatency(rule, route: route)
            return ok([:])
        case ("/_sandbox/faults", false):
            let route = input.string("route").value
            func probability(_ name: String) -> Double {
                input.number(name, integer: false, minimum: 0) ?? 0
            }
            let rule = FaultRule(
                error500: probability("error_500"), error503: probability("error_503"),
                ambiguous500: probability("ambiguous_500"), ambiguousTimeout: probability("ambiguous_timeout"),
                holdSeconds: input.number("hold_seconds", integer: false, minimum: 0) ?? 60
            )
            try input.throwIfInvalid()
            let isEmpty = rule.error500 + rule.error503 + rule.ambiguous500 + rule.ambiguousTimeout == 0
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
            let offset = input.number("offset_seconds", integer: false)
            let fixed = input.date("fixed_now").value
            let advance = input.number("advance_seconds", integer: false)
            try input.throwIfInvalid()
            if let fixed {
                controls.setClock(.fixed(fixed))
            } else if let offset {
                controls.setClock(.offset(offset))
            } else if let advance {
                controls.advanceClock(by: advance)
            } else {
                controls.setClock(.system)
            }
            return ok(["now": .timestamp(controls.now())])
        default:
            throw SandboxErrorReply(status: 404, type: "not_found", message: "No sandbox control at \(isGET ? "GET" : "POST") \(path).")
        }
    }

    private func ok(_ fields: [String: JSONValue]) -> SandboxHTTPReply {
        var body = fields
        body["ok"] = .bool(true)
        return SandboxHTTPReply(status: 200, body: .object(body))
    }

    private static func json(_ counters: SandboxCounters) -> JSONValue {
        let data = (try? JSONEncoder().encode(counters)) ?? Data()
        return JSONValue.parse(data) ?? .null
    }
}
