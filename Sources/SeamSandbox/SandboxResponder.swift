import Foundation
import HTTPTypes
import Hummingbird

/// The sandbox's HTTP entry point: routes `/_sandbox/...` to the admin API and every Seam path
/// through auth → rate limit → latency → fault → handler, counting what it served.
///
/// A plain `HTTPResponder` instead of a Hummingbird `Router`: every answer, including unknown
/// paths and malformed bodies, must be a Seam-shaped JSON error with a `seam-request-id` header.
struct SandboxResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let store: SandboxStore
    let controls: SandboxControls
    let admin: SandboxAdminAPI
    /// Largest request body accepted; Seam bodies are tiny.
    static let maxBodyBytes = 1 << 20

    func respond(to request: Request, context: Context) async throws -> Response {
        let requestID = UUID().uuidString.lowercased()
        let path = request.uri.path
        if path == "/_sandbox" || path.hasPrefix("/_sandbox/") {
            var request = request
            let reply = await admin.respond(to: &request, path: path)
            return reply.response(requestID: requestID)
        }
        var request = request
        let (routeKey, reply) = await respondToSeam(&request, path: path)
        controls.record(route: routeKey, status: reply.status)
        return reply.response(requestID: requestID)
    }

    private func respondToSeam(_ request: inout Request, path: String) async -> (String, SandboxHTTPReply) {
        guard let route = SeamEndpoints.routes[path] else {
            return ("unknown", SandboxHTTPReply(error: SandboxErrorReply(status: 404, type: "not_found", message: "No endpoint at \(path).")))
        }
        guard request.method == .post || (request.method == .get && route.allowsGET) else {
            // RFC 9110 requires a 405 to say what is allowed (found by `make fuzz-sandbox`).
            let error = SandboxErrorReply(status: 405, type: "method_not_allowed", message: "\(request.method) is not supported on \(path).")
            return (path, SandboxHTTPReply(error: error, headers: [("Allow", route.allowsGET ? "GET, POST" : "POST")]))
        }
        let workspaceID: String
        switch store.authenticate(bearer: Self.bearerToken(request.headers), workspaceHeader: request.headers[Self.workspaceHeader]) {
        case .failure(let error): return (path, SandboxHTTPReply(error: error))
        case .success(let id): workspaceID = id
        }
        if let wait = controls.admit(workspaceID: workspaceID) {
            let error = SandboxErrorReply(status: 429, type: "rate_limited", message: "Too many requests; retry after \(TokenBucket.retryAfterHeader(seconds: wait)) s.")
            return (path, SandboxHTTPReply(error: error, headers: [("Retry-After", TokenBucket.retryAfterHeader(seconds: wait))]))
        }
        if let latency = controls.latency(for: path) {
            let milliseconds = latency.delayMilliseconds(random: Double.random(in: 0..<1))
            if milliseconds > 0 { try? await Task.sleep(for: .milliseconds(milliseconds)) }
        }
        let fault = controls.drawFault(for: path)
        switch fault?.kind {
        case .error500?:
            return (path, SandboxHTTPReply(error: SandboxErrorReply(status: 500, type: "internal_server_error", message: "Injected fault: internal server error.")))
        case .error503?:
            return (path, SandboxHTTPReply(error: SandboxErrorReply(status: 503, type: "service_unavailable", message: "Injected fault: service unavailable.")))
        case .dropped?:
            // Cut in flight: half are applied, a moment after the cut (so a create may land after
            // the client has first looked for it), half never; the client cannot tell which.
            if Double.random(in: 0..<1) < 0.5, case .success(let input) = await Self.input(of: &request) {
                let authority = request.head.authority
                let delay = Duration.milliseconds(Int.random(in: 0..<500))
                Task {
                    try? await Task.sleep(for: delay)
                    _ = self.apply(route, path: path, input: input, authority: authority, workspaceID: workspaceID)
                }
            }
            return (path, SandboxHTTPReply.droppedConnection)
        default:
            break
        }
        let reply = await execute(route, path: path, request: &request, workspaceID: workspaceID)
        switch fault?.kind {
        case .ambiguous500?:
            return (path, SandboxHTTPReply(error: SandboxErrorReply(status: 500, type: "internal_server_error", message: "Injected fault: internal server error.")))
        case .ambiguousTimeout?:
            await hold(seconds: fault?.rule.boundedHoldSeconds ?? 60)
            return (path, reply)
        case .slowBody?:
            var trickled = reply
            trickled.trickleSeconds = fault?.rule.boundedHoldSeconds ?? 60
            return (path, trickled)
        default:
            return (path, reply)
        }
    }

    private func execute(_ route: SeamEndpoints.Route, path: String, request: inout Request, workspaceID: String) async -> SandboxHTTPReply {
        switch await Self.input(of: &request) {
        case .failure(let reply): return reply
        case .success(let input): return apply(route, path: path, input: input, authority: request.head.authority, workspaceID: workspaceID)
        }
    }

    /// A request's parameters, or the answer to a body that holds none.
    enum ParsedInput {
        case success(SeamRequestInput)
        case failure(SandboxHTTPReply)
    }

    /// The request's parameters (query or JSON body), or the error answer for a body that is not one.
    private static func input(of request: inout Request) async -> ParsedInput {
        if request.method == .get {
            return .success(SeamRequestInput(query: Self.queryPairs(request.uri.query)))
        }
        guard let buffer = try? await request.collectBody(upTo: Self.maxBodyBytes) else {
            return .failure(SandboxHTTPReply(error: .invalidInput(field: "body", "Body is too large or could not be read")))
        }
        if buffer.readableBytes == 0 { return .success(SeamRequestInput(body: [:])) }
        guard let json = JSONValue.parse(Data(buffer.readableBytesView)), let object = json.objectValue else {
            return .failure(SandboxHTTPReply(error: .invalidInput(field: "body", "Body must be a JSON object")))
        }
        return .success(SeamRequestInput(body: object))
    }

    /// Runs the route's handler on the workspace.
    private func apply(_ route: SeamEndpoints.Route, path: String, input: SeamRequestInput, authority: String?, workspaceID: String) -> SandboxHTTPReply {
        var input = input
        let authority = authority ?? "127.0.0.1"
        let context = SeamCallContext(
            now: controls.now(), baseURL: "http://\(authority)", path: path,
            provider: controls.providerBehavior(workspaceID: workspaceID), maxPageSize: controls.maxPageSize,
            identityLinkRule: controls.identityLinkRule(workspaceID: workspaceID)
        )
        do {
            let body = try store.withWorkspace(workspaceID) { (workspace: inout WorkspaceData) throws(SandboxErrorReply) -> JSONValue in
                workspace.settleProviderSync(upTo: context.now)
                return try route.handler(&workspace, &input, context)
            }
            return SandboxHTTPReply(status: 200, body: body)
        } catch {
            return SandboxHTTPReply(error: error)
        }
    }

    /// Sleeps up to `seconds`, but ends early when the server shuts down or the task is cancelled,
    /// so a held answer never blocks shutdown. Other requests are unaffected (it only suspends).
    private func hold(seconds: Double) async {
        let deadline = ContinuousClock.now + .milliseconds(seconds * 1000)
        while ContinuousClock.now < deadline, !controls.isShuttingDown, !Task.isCancelled {
            try? await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
        }
    }

    static let workspaceHeader = HTTPField.Name("seam-workspace")!

    static func bearerToken(_ headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// Decodes `a=1&b=x%20y` into ordered pairs (`+` is a space, as in forms).
    static func queryPairs(_ query: String?) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
