import Foundation
import Testing
@testable import SeamSandbox

/// Changes made behind the client's back, as staff would in Seam's console.
@Suite struct ConsoleTests {
    let start = SandboxTestClient.start

    @Test func deletingAUserBehindTheBackIsImmediateAndNotCounted() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 60, deletionDelay: 60))
            let userID = try await client.createGuest(email: "gone@example.com", reservation: "r-gone")
            let credentialID = try #require(try await client.createMobileKey(acsUserID: userID)["acs_credential_id"]?.stringValue)
            let before = client.controls.counters()
            try client.controls.console.deleteACSUser(userID)
            #expect(client.controls.counters() == before)
            #expect(try await client.post("/acs/users/get", ["acs_user_id": .string(userID)]).status == 404)
            #expect(try await client.post("/acs/credentials/get", ["acs_credential_id": .string(credentialID)]).status == 404)
            #expect(throws: SandboxErrorReply.notFound("acs_user", id: userID)) { try client.controls.console.deleteACSUser(userID) }
        }
    }

    @Test func consoleRoutesOverHTTP() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let userID = try await client.createGuest(email: "http@example.com", reservation: "r-http", groups: [SandboxTestClient.groupA1])
            let otherID = try await client.createGuest(email: "other@example.com", reservation: "r-other")
            let credentialID = try #require(try await client.createMobileKey(acsUserID: otherID)["acs_credential_id"]?.stringValue)
            let before = client.controls.counters()

            let schedule = try await client.admin("/_sandbox/console/acs_users/set_access_schedule", [
                "acs_user_id": .string(userID),
                "access_schedule": ["starts_at": timestamp(start.addingTimeInterval(3600)), "ends_at": timestamp(start.addingTimeInterval(7200))],
            ])
            #expect(schedule.status == 200)
            let group = try await client.admin("/_sandbox/console/acs_users/remove_from_access_group", [
                "acs_user_id": .string(userID), "acs_access_group_id": .string(SandboxTestClient.groupA1),
            ])
            #expect(group.status == 200)
            let error = try await client.admin("/_sandbox/console/acs_users/add_error", [
                "acs_user_id": .string(userID), "error_code": "deleted_externally", "message": "Removed in Salto KS by the front desk.",
            ])
            #expect(error.status == 200)
            let credential = try await client.admin("/_sandbox/console/acs_credentials/delete", ["acs_credential_id": .string(credentialID)])
            #expect(credential.status == 200)
            #expect(client.controls.counters() == before)

            let user = try await client.acsUser(userID)
            #expect(user["access_schedule"] == ["starts_at": timestamp(start.addingTimeInterval(3600)), "ends_at": timestamp(start.addingTimeInterval(7200))])
            #expect(user["pending_mutations"] == [])
            #expect(user["errors"] == [["error_code": "deleted_externally", "message": "Removed in Salto KS by the front desk.", "created_at": timestamp(start)]])
            let groups = try await client.post("/acs/access_groups/list", ["acs_user_id": .string(userID)])
            #expect(groups.json["acs_access_groups"] == [])
            #expect(try await client.post("/acs/credentials/get", ["acs_credential_id": .string(credentialID)]).status == 404)

            let removed = try await client.admin("/_sandbox/console/acs_users/set_access_schedule", ["acs_user_id": .string(userID), "access_schedule": nil])
            #expect(removed.status == 200)
            #expect(try await client.acsUser(userID)["access_schedule"] == nil)
            let deleted = try await client.admin("/_sandbox/console/acs_users/delete", ["acs_user_id": .string(userID)])
            #expect(deleted.status == 200)
            #expect(try await client.post("/acs/users/get", ["acs_user_id": .string(userID)]).status == 404)
        }
    }

    @Test func consoleChangesCancelWhatTheClientHadPending() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let original = (start.addingTimeInterval(86_400), start.addingTimeInterval(2 * 86_400))
            let userID = try await client.createGuest(email: "race@example.com", reservation: "r-race", schedule: (original.0, original.1))
            client.controls.setProviderBehavior(ProviderBehavior(syncDelay: 60), workspaceID: client.server.workspaceID)
            _ = try await client.post("/acs/users/update", [
                "acs_user_id": .string(userID),
                "access_schedule": ["starts_at": timestamp(original.0), "ends_at": timestamp(start.addingTimeInterval(5 * 86_400))],
            ])
            _ = try await client.post("/acs/users/add_to_access_group", ["acs_user_id": .string(userID), "acs_access_group_id": .string(SandboxTestClient.groupA2)])
            try client.controls.console.setAccessSchedule(startsAt: original.0, endsAt: start.addingTimeInterval(3 * 86_400), acsUserID: userID)
            try client.controls.console.removeFromAccessGroup(acsUserID: userID, acsAccessGroupID: SandboxTestClient.groupA2)
            let user = try await client.acsUser(userID)
            #expect(user["pending_mutations"] == [])
            #expect(user["access_schedule"]?["ends_at"] == timestamp(start.addingTimeInterval(3 * 86_400)))
            client.controls.advanceClock(by: 60)
            #expect(try await client.acsUser(userID)["access_schedule"]?["ends_at"] == timestamp(start.addingTimeInterval(3 * 86_400)))
        }
    }

    /// A membership staff added (or a removal the site rolled back): at once, and only in a group
    /// of the user's own system.
    @Test func consoleAddsToAnAccessGroupOfTheUsersSystem() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let userID = try await client.createGuest(email: "extra@example.com", reservation: "r-extra", groups: [SandboxTestClient.groupA1])
            let before = client.controls.counters()
            let added = try await client.admin("/_sandbox/console/acs_users/add_to_access_group", [
                "acs_user_id": .string(userID), "acs_access_group_id": .string(SandboxTestClient.groupA2),
            ])
            #expect(added.status == 200)
            #expect(client.controls.counters() == before)
            let groups = try await client.post("/acs/access_groups/list", ["acs_user_id": .string(userID)])
            let ids = Set((groups.json["acs_access_groups"]?.arrayValue ?? []).compactMap { $0["acs_access_group_id"]?.stringValue })
            #expect(ids == [SandboxTestClient.groupA1, SandboxTestClient.groupA2])
            #expect(try await client.acsUser(userID)["pending_mutations"] == [])
            let otherSystem = try await client.admin("/_sandbox/console/acs_users/add_to_access_group", [
                "acs_user_id": .string(userID), "acs_access_group_id": .string(SandboxTestClient.groupB1),
            ])
            #expect(otherSystem.status == 404 && otherSystem.errorType == "acs_access_group_not_found")
        }
    }

    @Test func consoleInputsAreValidated() async throws {
        try await withSandbox { client in
            let unknown = "00000000-0000-4000-8000-000000000000"
            let missing = try await client.admin("/_sandbox/console/acs_users/delete", ["acs_user_id": .string(unknown)])
            #expect(missing.status == 404 && missing.errorType == "acs_user_not_found")
            let missingCredential = try await client.admin("/_sandbox/console/acs_credentials/delete", ["acs_credential_id": .string(unknown)])
            #expect(missingCredential.status == 404 && missingCredential.errorType == "acs_credential_not_found")
            let userID = try await client.createGuest(email: "v@example.com", reservation: "r-v")
            let badCode = try await client.admin("/_sandbox/console/acs_users/add_error", ["acs_user_id": .string(userID), "error_code": "on_fire"])
            #expect(badCode.status == 400 && badCode.validationErrors("error_code").count == 1)
            let badGroup = try await client.admin("/_sandbox/console/acs_users/remove_from_access_group", [
                "acs_user_id": .string(userID), "acs_access_group_id": .string(unknown),
            ])
            #expect(badGroup.status == 404 && badGroup.errorType == "acs_access_group_not_found")
            let backwards = try await client.admin("/_sandbox/console/acs_users/set_access_schedule", [
                "acs_user_id": .string(userID), "access_schedule": ["starts_at": "2030-01-02T00:00:00.000Z", "ends_at": "2030-01-01T00:00:00.000Z"],
            ])
            #expect(backwards.status == 400 && backwards.errorType == "invalid_input")
            let noSchedule = try await client.admin("/_sandbox/console/acs_users/set_access_schedule", ["acs_user_id": .string(userID)])
            #expect(noSchedule.status == 400 && noSchedule.validationErrors("access_schedule") == ["Required"])
        }
    }
}
