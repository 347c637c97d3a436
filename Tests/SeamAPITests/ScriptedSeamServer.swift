import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A scripted HTTP stub for client tests: each path answers from a queue of canned responses
/// (in order), and every request is recorded. Binds 127.0.0.1 on an ephemeral port.
/// This is a test fixture, not the project's Seam sandbox.
actor ScriptedSeamServer {
    struct CannedResponse: Sendable {
        var status: Int
        var body: String
        var headers: [String: String] = [:]
        /// Delay before answering, to provoke client timeouts.
        var delay: Duration?
        /// The head at once, then the body one byte per this interval: a slow body, not a slow answer.
        var trickle: Duration?
        /// The head, then the connection is cut with no body (a connection dropped in flight).
        var drops = false

        static var dropped: CannedResponse {
            var response = CannedResponse.ok("{}")
            response.drops = true
            return response
        }

        static func ok(_ json: String, requestID: String = "req_ok") -> CannedResponse {
            CannedResponse(status: 200, body: json, headers: ["seam-request-id": requestID])
        }

        static func error(_ status: Int, type: String, message: String = "failed", headers: [String: String] = [:]) -> CannedResponse {
            CannedResponse(
                status: status,
                body: #"{"error":{"type":"\#(type)","message":"\#(message)"},"ok":false}"#,
                headers: headers.merging(["seam-request-id": "req_\(status)"]) { first, _ in first })
        }

        static func trickled(_ interval: Duration, _ response: CannedResponse) -> CannedResponse {
            var copy = response
            copy.trickle = interval
            return copy
        }

        static func slow(_ delay: Duration, then response: CannedResponse) -> CannedResponse {
            var copy = response
            copy.delay = delay
            return copy
        }
    }

    struct RecordedRequest: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data

        /// The JSON body as a dictionary (test convenience).
        var json: [String: any Sendable] {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: any Sendable]) ?? [:]
        }
    }

    private var scripts: [String: [CannedResponse]] = [:]
    /// Every request received, in order; header names are lowercased.
    private(set) var requests: [RecordedRequest] = []

    /// Queues responses for `path` (without leading slash); unscripted calls get a 599.
    func script(_ path: String, _ responses: CannedResponse...) {
        scripts[path, default: []].append(contentsOf: responses)
    }

    func requests(to path: String) -> [RecordedRequest] {
        requests.filter { $0.path == path }
    }

    func respond(to request: RecordedRequest) -> CannedResponse {
        requests.append(request)
        guard var queue = scripts[request.path], !queue.isEmpty else {
            return .error(599, type: "unscripted", message: "no canned response for \(request.path)")
        }
        let next = queue.removeFirst()
        scripts[request.path] = queue
        return next
    }

    /// Starts the server, runs `body` with the server and its base URL, then stops the server.
    static func withRunning<Result: Sendable>(
        _ body: @Sendable (ScriptedSeamServer, String) async throws -> Result
    ) async throws -> Result {
        let server = ScriptedSeamServer()
        let router = Router()
        router.on("**", method: .post) { request, context -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let path = String(request.uri.path.drop(while: { $0 == "/" }))
            let recorded = RecordedRequest(
                method: "\(request.method)", path: path, headers: headers, body: Data(bytes.readableBytesView))
            let canned = await server.respond(to: recorded)
            if let delay = canned.delay { try await Task.sleep(for: delay) }
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            for (name, value) in canned.headers {
                if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
            }
            if canned.drops {
                return Response(status: .ok, headers: fields, body: ResponseBody(contentLength: 64) { _ in throw CancellationError() })
            }
            if let interval = canned.trickle {
                let bytes = Array(canned.body.utf8)
                return Response(
                    status: .init(code: canned.status), headers: fields,
                    body: ResponseBody(contentLength: bytes.count) { writer in
                        for byte in bytes {
                            try await writer.write(ByteBuffer(bytes: [byte]))
                            try await Task.sleep(for: interval)
                        }
                        try await writer.finish(nil)
                    })
            }
            return Response(
                status: .init(code: canned.status),
                headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(string: canned.body)))
        }
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "scripted-seam")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // If the server fails to start, end the port stream so the caller does not wait forever.
                defer { portContinuation.finish() }
                try await app.runService(gracefulShutdownSignals: [])
            }
            var port = 0
            for await value in portStream { port = value }
            guard port != 0 else {
                try await group.next()
                throw CancellationError()
            }
            defer { group.cancelAll() }
            return try await body(server, "http://127.0.0.1:\(port)")
        }
    }
}
