import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
@testable import SeamSandbox

/// One HTTP answer from the sandbox, parsed.
struct SandboxReply {
    var status: Int
    var headers: HTTPHeaders
    var json: JSONValue

    var errorType: String? { json["error"]?["type"]?.stringValue }
    var requestID: String? { headers.first(name: "seam-request-id") }

    /// `validation_errors.<field>._errors` of an `invalid_input` answer.
    func validationErrors(_ path: String...) -> [String] {
        var node = json["error"]?["validation_errors"]
        for key in path { node = node?[key] }
        return node?["_errors"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}

/// Drives a running sandbox over real HTTP on 127.0.0.1, as client code would.
struct SandboxTestClient {
    let server: SeamSandboxServer

    /// A key that belongs to no workspace.
    static let unknownKey = "seam_not_a_real_key"

    func post(_ path: String, _ body: JSONValue = [:], key: String? = nil, useDefaultKey: Bool = true,
              headers extraHeaders: [(String, String)] = [], timeout: TimeAmount = .seconds(30)) async throws -> SandboxReply {
        var request = HTTPClientRequest(url: server.endpoint + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let bearer = key ?? (useDefaultKey ? server.apiKey : nil) {
            request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        }
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body.serialized()))
        return try await send(request, timeout: timeout)
    }

    func postRaw(_ path: String, body: String) async throws -> SandboxReply {
        var request = HTTPClientRequest(url: server.endpoint + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(server.apiKey)")
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request, timeout: .seconds(30))
    }

    func get(_ path: String, query: String = "", key: String? = nil) async throws -> SandboxReply {
        var request = HTTPClientRequest(url: server.endpoint + path + (query.isEmpty ? "" : "?" + query))
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(key ?? server.apiKey)")
        return try await send(request, timeout: .seconds(30))
    }

    /// Calls a `/_sandbox/...` control with the admin token.
    func admin(_ path: String, _ body: JSONValue? = nil, token: String? = nil) async throws -> SandboxReply {
        var request = HTTPClientRequest(url: server.endpoint + path)
        request.method = body == nil ? .GET : .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token ?? server.adminToken)")
        if let body { request.body = .bytes(ByteBuffer(string: body.serialized())) }
        return try await send(request, timeout: .seconds(30))
    }

    private func send(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> SandboxReply {
        let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(timeout.nanoseconds * Int64(TestTiming.scale)))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        let json = JSONValue.parse(Data(bytes.readableBytesView)) ?? .null
        return SandboxReply(status: Int(response.status.code), headers: response.headers, json: json)
    }

    // MARK: - Shortcuts for the Salto KS flow

    static let buildingA = "11111111-1111-1111-1111-111111111111"
    static let buildingB = "7d3f5a2e-9c41-4b8e-a6d2-0f5e8c1b3a97"
    static let groupA1 = "55555555-5555-5555-5555-555555555555"
    static let groupA2 = "66666666-6666-6666-6666-666666666666"
    static let groupB1 = "b1f4c6d2-7e83-4a5f-9c10-6d2e8f3a5b71"

    func createIdentity(email: String? = nil, key: String? = nil, phone: String? = nil, fullName: String? = nil) async throws -> String {
        var body: [String: JSONValue] = [:]
        if let email { body["email_address"] = .string(email) }
        if let key { body["user_identity_key"] = .string(key) }
        if let phone { body["phone_number"] = .string(phone) }
        if let fullName { body["full_name"] = .string(fullName) }
        let reply = try await post("/user_identities/create", .object(body))
        guard reply.status == 200, let id = reply.json["user_identity"]?["user_identity_id"]?.stringValue else {
            throw TestFailure("user_identities/create failed: \(reply.status) \(reply.json.serialized())")
        }
        return id
    }

    func createACSUser(identityID: String?, system: String = buildingA, fullName: String = "reservation-1",
                       schedule: (Date, Date?)? = nil, groups: [String]? = nil) async throws -> JSONValue {
        var body: [String: JSONValue] = ["acs_system_id": .string(system), "full_name": .string(fullName)]
        if let identityID { body["user_identity_id"] = .string(identityID) }
        if let schedule {
            body["access_schedule"] = ["starts_at": .string(SeamTimestamp.format(schedule.0)), "ends_at": .timestamp(orNull: schedule.1)]
        }
        if let groups { body["acs_access_group_ids"] = .array(groups.map(JSONValue.string)) }
        let reply = try await post("/acs/users/create", .object(body))
        guard reply.status == 200, let user = reply.json["acs_user"] else {
            throw TestFailure("acs/users/create failed: \(reply.status) \(reply.json.serialized())")
        }
        return user
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Starts a sandbox on 127.0.0.1 port 0, runs `body`, and always shuts it down.
func withSandbox(seed: SandboxSeed = .default, _ body: (SandboxTestClient) async throws -> Void) async throws {
    let server = try await SeamSandboxServer.start(seed: seed)
    do {
        try await body(SandboxTestClient(server: server))
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}
