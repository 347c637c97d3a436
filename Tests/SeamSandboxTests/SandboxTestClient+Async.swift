import Foundation
import Testing
@testable import SeamSandbox

/// Shortcuts for the tests of Seam's asynchrony: fetch one object, read the codes of a list.
extension SandboxTestClient {
    /// A fixed instant on whole seconds, so timestamps in answers can be compared exactly.
    static let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)

    var controls: SandboxControls { server.controls }

    /// Freezes the sandbox clock at `start` and sets the default workspace's provider behaviour.
    func freezeClock(behavior: ProviderBehavior = .synchronous) {
        controls.setClock(.fixed(Self.start))
        controls.setProviderBehavior(behavior, workspaceID: server.workspaceID)
    }

    func acsUser(_ id: String) async throws -> JSONValue {
        let reply = try await post("/acs/users/get", ["acs_user_id": .string(id)])
        guard reply.status == 200, let user = reply.json["acs_user"] else {
            throw TestFailure("acs/users/get \(id): \(reply.status) \(reply.json.serialized())")
        }
        return user
    }

    func credential(_ id: String) async throws -> JSONValue {
        let reply = try await post("/acs/credentials/get", ["acs_credential_id": .string(id)])
        guard reply.status == 200, let credential = reply.json["acs_credential"] else {
            throw TestFailure("acs/credentials/get \(id): \(reply.status) \(reply.json.serialized())")
        }
        return credential
    }

    func createMobileKey(acsUserID: String) async throws -> JSONValue {
        let reply = try await post("/acs/credentials/create", [
            "acs_user_id": .string(acsUserID), "access_method": "mobile_key", "is_multi_phone_sync_credential": true,
        ])
        guard reply.status == 200, let credential = reply.json["acs_credential"] else {
            throw TestFailure("acs/credentials/create: \(reply.status) \(reply.json.serialized())")
        }
        return credential
    }

    /// A guest with an identity and an ACS user on building A; returns the ACS user's id.
    func createGuest(email: String, reservation: String, schedule: (Date, Date?)? = nil, groups: [String]? = nil) async throws -> String {
        let identity = try await createIdentity(email: email)
        let user = try await createACSUser(identityID: identity, fullName: reservation, schedule: schedule, groups: groups)
        return try #require(user["acs_user_id"]?.stringValue)
    }
}

/// `[{"<key>": code, …}, …]` → the codes, in order.
func codes(_ list: JSONValue?, _ key: String) -> [String] {
    list?.arrayValue?.compactMap { $0[key]?.stringValue } ?? []
}

func timestamp(_ date: Date) -> JSONValue {
    .string(SeamTimestamp.format(date))
}
