import Foundation
import Testing
@testable import SeamSandbox

@Suite struct ErrorResponseTests {
    @Test func missingAndUnknownKeysAre401WithSeamErrorShape() async throws {
        try await withSandbox { client in
            let missing = try await client.post("/acs/systems/list", useDefaultKey: false)
            #expect(missing.status == 401 && missing.errorType == "unauthorized")
            #expect(missing.json["ok"] == false)
            #expect(missing.json["error"]?["message"]?.stringValue?.isEmpty == false)
            #expect(missing.requestID != nil)
            let unknown = try await client.post("/acs/systems/list", key: SandboxTestClient.unknownKey)
            #expect(unknown.status == 401 && unknown.errorType == "unauthorized")
        }
    }

    @Test func personalAccessTokenNeedsWorkspaceHeader() async throws {
        try await withSandbox { client in
            let token = try #require(SandboxSeed.default.workspaces[0].personalAccessTokens?.first)
            let withoutHeader = try await client.post("/acs/systems/list", key: token)
            #expect(withoutHeader.status == 401)
            let wrongWorkspace = try await client.post("/acs/systems/list", key: token, headers: [("seam-workspace", UUID().uuidString.lowercased())])
            #expect(wrongWorkspace.status == 401)
            let ok = try await client.post("/acs/systems/list", key: token, headers: [("seam-workspace", client.server.workspaceID)])
            #expect(ok.status == 200 && ok.json["acs_systems"]?.arrayValue?.count == 2)
        }
    }

    @Test func everyAnswerCarriesADistinctRequestID() async throws {
        try await withSandbox { client in
            let success = try await client.post("/acs/systems/list")
            let failure = try await client.post("/acs/systems/get", [:])
            let unknownPath = try await client.post("/nope")
            let ids = [success.requestID, failure.requestID, unknownPath.requestID].compactMap { $0 }
            #expect(ids.count == 3 && Set(ids).count == 3)
            #expect(unknownPath.status == 404 && unknownPath.json["ok"] == false)
        }
    }

    @Test func malformedBodiesAndWrongTypesAreInvalidInput() async throws {
        try await withSandbox { client in
            let notJSON = try await client.postRaw("/user_identities/create", body: "{not json")
            #expect(notJSON.status == 400 && notJSON.errorType == "invalid_input")
            let array = try await client.postRaw("/user_identities/create", body: "[]")
            #expect(array.status == 400 && array.errorType == "invalid_input")
            let wrong = try await client.post("/user_identities/create", ["email_address": "not-an-email", "full_name": "", "acs_system_ids": ["x"]])
            #expect(wrong.status == 400)
            #expect(wrong.validationErrors("email_address") == ["Invalid email"])
            #expect(wrong.validationErrors("full_name") == ["String must contain at least 1 character(s)"])
            #expect(wrong.validationErrors("acs_system_ids", "0") == ["Invalid uuid"])
            #expect(wrong.json["error"]?["validation_errors"]?["_errors"] == [])
            let badLimit = try await client.post("/acs/users/list", ["limit": -1])
            #expect(badLimit.validationErrors("limit").count == 1)
            let badBool = try await client.post("/acs/credentials/list", ["is_multi_phone_sync_credential": "yes"])
            #expect(badBool.validationErrors("is_multi_phone_sync_credential") == ["Expected boolean, received string"])
        }
    }

    @Test func getIsRefusedWhereTheSpecOnlyHasPost() async throws {
        try await withSandbox { client in
            let reply = try await client.get("/user_identities/create")
            #expect(reply.status == 405 && reply.json["ok"] == false)
        }
    }
}
