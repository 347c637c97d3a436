import Foundation
import Testing
@testable import SeamSandbox

/// With a deletion delay a deleted object stays visible (being deleted) until the delay passes.
@Suite struct SlowDeletionTests {
    let start = SandboxTestClient.start

    @Test func deletedUserStaysVisibleBeingDeletedThenIsGone() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let userID = try await client.createGuest(email: "slow@example.com", reservation: "r-slow")
            let credentialID = try #require(try await client.createMobileKey(acsUserID: userID)["acs_credential_id"]?.stringValue)
            client.controls.setProviderBehavior(ProviderBehavior(deletionDelay: 45), workspaceID: client.server.workspaceID)
            let delete = try await client.post("/acs/users/delete", ["acs_user_id": .string(userID)])
            #expect(delete.status == 200 && delete.json == ["ok": true])

            let deleting = try await client.acsUser(userID)
            #expect(deleting["pending_mutations"] == [[
                "mutation_code": "deleting", "message": "Deleting the user from the access system.", "created_at": timestamp(start),
            ]])
            #expect(deleting["warnings"] == [[
                "warning_code": "being_deleted", "message": "The user is being deleted from the access system.", "created_at": timestamp(start),
            ]])
            let listed = try await client.post("/acs/users/list", ["acs_system_id": .string(SandboxTestClient.buildingA)])
            #expect(codes(listed.json["acs_users"], "acs_user_id") == [userID])
            // A second delete while one is pending changes nothing.
            #expect(try await client.post("/acs/users/delete", ["acs_user_id": .string(userID)]).status == 200)
            #expect(codes(try await client.acsUser(userID)["pending_mutations"], "mutation_code") == ["deleting"])

            client.controls.advanceClock(by: 45)
            let gone = try await client.post("/acs/users/get", ["acs_user_id": .string(userID)])
            #expect(gone.status == 404 && gone.errorType == "acs_user_not_found")
            #expect(try await client.post("/acs/credentials/get", ["acs_credential_id": .string(credentialID)]).status == 404)
            #expect(try await client.post("/acs/users/list").json["acs_users"] == [])
        }
    }

    @Test func refusedDeletionKeepsUserAndCredentialsAndALaterDeleteRetries() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let userID = try await client.createGuest(email: "stay@example.com", reservation: "r-stay")
            let credentialID = try #require(try await client.createMobileKey(acsUserID: userID)["acs_credential_id"]?.stringValue)
            client.controls.setProviderBehavior(
                ProviderBehavior(deletionDelay: 30, refusals: [RefusalRule(operations: [.delete], reservationIDs: ["r-stay"])]),
                workspaceID: client.server.workspaceID
            )
            _ = try await client.post("/acs/users/delete", ["acs_user_id": .string(userID)])
            client.controls.advanceClock(by: 30)
            let refused = try await client.acsUser(userID)
            #expect(refused["pending_mutations"] == [] && refused["warnings"] == [])
            #expect(refused["errors"] == [[
                "error_code": "failed_to_delete_on_acs_system", "message": "The access system refused to delete the user.",
                "created_at": timestamp(start.addingTimeInterval(30)),
            ]])
            #expect(try await client.credential(credentialID)["is_latest_desired_state_synced_with_provider"] == true)

            // The site accepts deletions again: the retry shows the old error while it runs, then the user goes.
            client.controls.setProviderBehavior(ProviderBehavior(deletionDelay: 30), workspaceID: client.server.workspaceID)
            _ = try await client.post("/acs/users/delete", ["acs_user_id": .string(userID)])
            let retrying = try await client.acsUser(userID)
            #expect(codes(retrying["pending_mutations"], "mutation_code") == ["deleting"])
            #expect(codes(retrying["errors"], "error_code") == ["failed_to_delete_on_acs_system"])
            client.controls.advanceClock(by: 30)
            #expect(try await client.post("/acs/users/get", ["acs_user_id": .string(userID)]).status == 404)
            #expect(try await client.post("/acs/credentials/get", ["acs_credential_id": .string(credentialID)]).status == 404)
        }
    }

    @Test func settlingCountsNoRequestAndControlsCountNone() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 10, deletionDelay: 10))
            let userID = try await client.createGuest(email: "count@example.com", reservation: "r-count")
            _ = try await client.post("/acs/users/delete", ["acs_user_id": .string(userID)])
            _ = try await client.admin("/_sandbox/clock", ["advance_seconds": 20])
            _ = try await client.admin("/_sandbox/provider", [:])
            _ = client.controls.dumpStateJSON()
            let counters = client.controls.counters()
            #expect(counters.requests == [
                "/user_identities/create": ["200": 1], "/acs/users/create": ["200": 1], "/acs/users/delete": ["200": 1],
            ])
            #expect(try await client.post("/acs/users/get", ["acs_user_id": .string(userID)]).status == 404)
            #expect(client.controls.counters().count(route: "/acs/users/get", status: 404) == 1)
        }
    }

    @Test func refusedDeletionWithoutDelaySettlesAtOnce() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(refusals: [RefusalRule(operations: [.delete])]))
            let userID = try await client.createGuest(email: "now@example.com", reservation: "r-now")
            _ = try await client.post("/acs/users/delete", ["acs_user_id": .string(userID)])
            #expect(codes(try await client.acsUser(userID)["errors"], "error_code") == ["failed_to_delete_on_acs_system"])
        }
    }

    @Test func deletingAUserStillBeingCreatedCancelsTheCreation() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 60, deletionDelay: 10))
            let userID = try await client.createGuest(email: "cancel@example.com", reservation: "r-cancel")
            _ = try await client.post("/acs/users/delete", ["acs_user_id": .string(userID)])
            #expect(codes(try await client.acsUser(userID)["pending_mutations"], "mutation_code") == ["deleting"])
            client.controls.advanceClock(by: 10)
            #expect(try await client.post("/acs/users/get", ["acs_user_id": .string(userID)]).status == 404)
        }
    }

    @Test func deletedCredentialIsBeingDeletedUntilTheDelayPasses() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let userID = try await client.createGuest(email: "cred@example.com", reservation: "r-cred")
            let credentialID = try #require(try await client.createMobileKey(acsUserID: userID)["acs_credential_id"]?.stringValue)
            client.controls.setProviderBehavior(ProviderBehavior(deletionDelay: 15), workspaceID: client.server.workspaceID)
            #expect(try await client.post("/acs/credentials/delete", ["acs_credential_id": .string(credentialID)]).json == ["ok": true])
            let deleting = try await client.credential(credentialID)
            #expect(deleting["warnings"] == [[
                "warning_code": "being_deleted", "message": "The credential is being deleted.", "created_at": timestamp(start),
            ]])
            let listed = try await client.post("/acs/credentials/list", ["acs_user_id": .string(userID)])
            #expect(codes(listed.json["acs_credentials"], "acs_credential_id") == [credentialID])
            client.controls.advanceClock(by: 15)
            #expect(try await client.post("/acs/credentials/get", ["acs_credential_id": .string(credentialID)]).status == 404)
        }
    }
}
