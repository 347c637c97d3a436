import Foundation
import HTTPTypes
import Hummingbird

/// One answer before it becomes a Hummingbird `Response`: status, JSON body, extra headers.
struct SandboxHTTPReply: Sendable {
    var status: Int
    var body: JSONValue
    var headers: [(String, String)] = []

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
        return Response(status: .init(code: status), headers: fields, body: ResponseBody(byteBuffer: buffer))
    }
}
