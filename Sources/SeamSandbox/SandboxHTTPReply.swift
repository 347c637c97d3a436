import Foundation
import HTTPTypes
import Hummingbird

/// One answer before it becomes a Hummingbird `Response`: status, JSON body, extra headers.
struct SandboxHTTPReply: Sendable {
    var status: Int
    var body: JSONValue
    var headers: [(String, String)] = []
    /// `slowBody` fault: the body is sent in twenty pieces spread over this many seconds.
    var trickleSeconds: Double?
    /// `dropped` fault: the status line goes out, then the connection is closed with no body.
    var dropsConnection = false

    /// The `dropped` fault's answer (its status is never read: the body announced is never sent).
    static var droppedConnection: SandboxHTTPReply {
        var reply = SandboxHTTPReply(status: 200, body: .object([:]))
        reply.dropsConnection = true
        return reply
    }

    /// What ends a dropped answer's body: Hummingbird closes a connection whose body fails.
    struct ConnectionDropped: Error {}

    init(status: Int, body: JSONValue, headers: [(String, String)] = []) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    init(error: SandboxErrorReply, headers: [(String, String)] = []) {
        self.init(status: error.status, body: error.body, headers: headers)
    }

    static let requestIDHeader = HTTPField.Name("seam-request-id")!

    /// The HTTP response, with `seam-request-id` on every answer as Seam does.
    func response(requestID: String) -> Response {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[Self.requestIDHeader] = requestID
        for (name, value) in headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        let buffer = ByteBuffer(string: body.serialized())
        if dropsConnection {
            return Response(status: .init(code: status), headers: fields, body: ResponseBody(contentLength: 64) { _ in
                throw ConnectionDropped()
            })
        }
        guard let trickleSeconds, buffer.readableBytes > 0 else {
            return Response(status: .init(code: status), headers: fields, body: ResponseBody(byteBuffer: buffer))
        }
        let pieces = 20
        let size = max(1, (buffer.readableBytes + pieces - 1) / pieces)
        let pause = Duration.milliseconds(trickleSeconds * 1000 / Double(pieces))
        return Response(status: .init(code: status), headers: fields, body: ResponseBody(contentLength: buffer.readableBytes) { writer in
            var rest = buffer
            while let piece = rest.readSlice(length: min(size, rest.readableBytes)), piece.readableBytes > 0 {
                try await writer.write(piece)
                // A client that hung up (its timeout) ends the answer: the write then throws.
                if rest.readableBytes > 0 { try await Task.sleep(for: pause) }
            }
            try await writer.finish(nil)
        })
    }
}
