import Foundation
import Testing
@testable import SeamSandbox

/// Changes Seam accepts reach the site after the sync delay: pending until then, settled after.
@Suite struct ProviderSyncTests {
    let start = SandboxTestClient.start

    @Test func createdUserIsCreatingUntilTheSyncDelayPassesOnTheSandboxClock() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 30))
            let identity = try await client.createIdentity(email: "pending@example.com")
            let created = try await client.createACSUser(identityID: identity)
            let userID = try #require(created["acs_user_id"]?.stringValue)
            #expect(created["pending_mutations"] == [[
                "mutation_code": "creating", "message": "Creating the user on the access system.", "created_at": timestamp(start),
            ]])
            #expect(created["last_successful_sync_at"] == .null)
            #expect(created["salto_ks_metadata"]?["is_subscribed"] == false)
            #expect(created["errors"] == [] && created["warnings"] == [])

            client.controls.advanceClock(by: 29)
            #expect(codes(try await client.acsUser(userID)["pending_mutations"], "mutation_code") == ["creating"])

            client.controls.advanceClock(by: 1)
            let settled = try await client.acsUser(userID)
            #expect(settled["pending_mutations"] == [])
            #expect(settled["errors"] == [])
            #expect(settled["last_successful_sync_at"] == timestamp(start.addingTimeInterval(30)))
            #expect(settled["salto_ks_metadata"]?["is_subscribed"] == true)
        }
    }

    @Test func theDelayAlsoPassesInRealTime() async throws {
        try await withSandbox { client in
            client.controls.setProviderBehavior(ProviderBehavior(syncDelay: 1))
            let created = try await client.createACSUser(identityID: nil)
            #expect(codes(created["pending_mutations"], "mutation_code") == ["creating"])
            try await Task.sleep(for: .milliseconds(1300))
            let userID = try #require(created["acs_user_id"]?.stringValue)
            #expect(try await client.acsUser(userID)["pending_mutations"] == [])
        }
    }

    @Test func scheduleUpdateCarriesFromAndToUntilItSettles() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let first = (start.addingTimeInterval(86_400), start.addingTimeInterval(3 * 86_400))
            let userID = try await client.createGuest(email: "s@example.com", reservation: "r-s", schedule: (first.0, first.1))
            client.controls.setProviderBehavior(ProviderBehavior(syncDelay: 60), workspaceID: client.server.workspaceID)
            let moved = (start.addingTimeInterval(2 * 86_400), start.addingTimeInterval(5 * 86_400))
            let update = try await client.post("/acs/users/update", [
                "acs_user_id": .string(userID),
                "access_schedule": ["starts_at": timestamp(moved.0), "ends_at": timestamp(moved.1)],
            ])
            #expect(update.status == 200 && update.json == ["ok": true])
            let pending = try await client.acsUser(userID)
            #expect(pending["access_schedule"] == ["starts_at": timestamp(moved.0), "ends_at": timestamp(moved.1)])
            #expect(pending["pending_mutations"] == [[
                "mutation_code": "updating_access_schedule",
                "message": "Pushing the access schedule to the access system.",
                "created_at": timestamp(start),
                "from": ["starts_at": timestamp(first.0), "ends_at": timestamp(first.1)],
                "to": ["starts_at": timestamp(moved.0), "ends_at": timestamp(moved.1)],
            ]])

            client.controls.advanceClock(by: 60)
            let settled = try await client.acsUser(userID)
            #expect(settled["pending_mutations"] == [])
            #expect(settled["access_schedule"] == ["starts_at": timestamp(moved.0), "ends_at": timestamp(moved.1)])
            #expect(settled["last_successful_sync_at"] == timestamp(start.addingTimeInterval(60)))
        }
    }

    @Test func aSecondUpdateReplacesThePendingOneAndAnUpdateBackCancelsIt() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let original = (start.addingTimeInterval(86_400), start.addingTimeInterval(2 * 86_400))
            let userID = try await client.createGuest(email: "twice@example.com", reservation: "r-twice", schedule: (original.0, original.1))
            client.controls.setProviderBehavior(ProviderBehavior(syncDelay: 60), workspaceID: client.server.workspaceID)
            func update(_ schedule: (Date, Date)) async throws {
                _ = try await client.post("/acs/users/update", [
                    "acs_user_id": .string(userID),
                    "access_schedule": ["starts_at": timestamp(schedule.0), "ends_at": timestamp(schedule.1)],
                ])
            }
            try await update((original.0, start.addingTimeInterval(3 * 86_400)))
            try await update((original.0, start.addingTimeInterval(4 * 86_400)))
            let twice = try await client.acsUser(userID)
            #expect(codes(twice["pending_mutations"], "mutation_code") == ["updating_access_schedule"])
            #expect(twice["pending_mutations"]?.arrayValue?.first?["from"]?["ends_at"] == timestamp(original.1))
            #expect(twice["pending_mutations"]?.arrayValue?.first?["to"]?["ends_at"] == timestamp(start.addingTimeInterval(4 * 86_400)))
            try await update(original)
            #expect(try await client.acsUser(userID)["pending_mutations"] == [])
        }
    }

    @Test func groupAddAndRemoveCarryUpdatingGroupMembership() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let userID = try await client.createGuest(email: "g@example.com", reservation: "r-g", groups: [SandboxTestClient.groupA1])
            client.controls.setProviderBehavior(ProviderBehavior(syncDelay: 10), workspaceID: client.server.workspaceID)
            _ = try await client.post("/acs/users/add_to_access_group", ["acs_user_id": .string(userID), "acs_access_group_id": .string(SandboxTestClient.groupA2)])
            _ = try await client.post("/acs/users/remove_from_access_group", ["acs_user_id": .string(userID), "acs_access_group_id": .string(SandboxTestClient.groupA1)])
            let pending = try await client.acsUser(userID)
            let mutations = try #require(pending["pending_mutations"]?.arrayValue)
            #expect(mutations.count == 2)
            #expect(mutations.allSatisfy { $0["mutation_code"] == "updating_group_membership" })
            #expect(mutations[0]["from"] == ["acs_access_group_id": nil] && mutations[0]["to"] == ["acs_access_group_id": .string(SandboxTestClient.groupA2)])
            #expect(mutations[1]["from"] == ["acs_access_group_id": .string(SandboxTestClient.groupA1)] && mutations[1]["to"] == ["acs_access_group_id": nil])
            // Memberships already show what the client asked for.
            let groups = try await client.post("/acs/access_groups/list", ["acs_user_id": .string(userID)])
            #expect(codes(groups.json["acs_access_groups"], "acs_access_group_id") == [SandboxTestClient.groupA2])

            client.controls.advanceClock(by: 10)
            #expect(try await client.acsUser(userID)["pending_mutations"] == [])
        }
    }

    @Test func userInformationUpdateShowsOnlyTheChangedFields() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let userID = try await client.createGuest(email: "info@example.com", reservation: "r-info")
            client.controls.setProviderBehavior(ProviderBehavior(syncDelay: 10), workspaceID: client.server.workspaceID)
            _ = try await client.post("/acs/users/update", ["acs_user_id": .string(userID), "full_name": "r-info-2"])
            let mutation = try #require(try await client.acsUser(userID)["pending_mutations"]?.arrayValue?.first)
            #expect(mutation["mutation_code"] == "updating_user_information")
            #expect(mutation["from"] == ["full_name": "r-info"] && mutation["to"] == ["full_name": "r-info-2"])
        }
    }

    @Test func credentialWaitsToBeIssuedUntilItSyncsAndNeverBeforeItsUser() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 30))
            let userID = try await client.createGuest(email: "key@example.com", reservation: "r-key")
            client.controls.advanceClock(by: 20)
            let created = try await client.createMobileKey(acsUserID: userID)
            let credentialID = try #require(created["acs_credential_id"]?.stringValue)
            #expect(created["is_latest_desired_state_synced_with_provider"] == false)
            #expect(created["latest_desired_state_synced_with_provider_at"] == .null)
            #expect(created["is_issued"] == false && created["issued_at"] == .null)
            #expect(created["warnings"] == [[
                "warning_code": "waiting_to_be_issued", "message": "The credential is waiting to be issued on the access system.",
                "created_at": timestamp(start.addingTimeInterval(20)),
            ]])
            // The user is on the site at 30 s, the credential's own delay ends at 50 s.
            client.controls.advanceClock(by: 20)
            #expect(try await client.credential(credentialID)["is_latest_desired_state_synced_with_provider"] == false)
            client.controls.advanceClock(by: 10)
            let synced = try await client.credential(credentialID)
            #expect(synced["is_latest_desired_state_synced_with_provider"] == true)
            #expect(synced["latest_desired_state_synced_with_provider_at"] == timestamp(start.addingTimeInterval(50)))
            #expect(synced["is_issued"] == true && synced["warnings"] == [])
        }
    }

    @Test func credentialOfAUserStillBeingCreatedSyncsWithTheUser() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 30))
            let userID = try await client.createGuest(email: "early@example.com", reservation: "r-early")
            client.controls.setProviderBehavior(ProviderBehavior(syncDelay: 5), workspaceID: client.server.workspaceID)
            let credentialID = try #require(try await client.createMobileKey(acsUserID: userID)["acs_credential_id"]?.stringValue)
            client.controls.advanceClock(by: 10)
            #expect(try await client.credential(credentialID)["is_latest_desired_state_synced_with_provider"] == false)
            client.controls.advanceClock(by: 20)
            let synced = try await client.credential(credentialID)
            #expect(synced["latest_desired_state_synced_with_provider_at"] == timestamp(start.addingTimeInterval(30)))
        }
    }

    @Test func synchronousByDefault() async throws {
        try await withSandbox { client in
            #expect(client.controls.providerBehavior(workspaceID: client.server.workspaceID) == .synchronous)
            let userID = try await client.createGuest(email: "sync@example.com", reservation: "r-sync")
            let user = try await client.acsUser(userID)
            #expect(user["pending_mutations"] == [] && user["last_successful_sync_at"] == user["created_at"])
            let credential = try await client.createMobileKey(acsUserID: userID)
            #expect(credential["is_latest_desired_state_synced_with_provider"] == true && credential["warnings"] == [])
            #expect(credential["issued_at"] == credential["created_at"])
        }
    }

    @Test func behaviourIsPerWorkspaceAndSettableOverHTTP() async throws {
        try await withSandbox { client in
            let set = try await client.admin("/_sandbox/provider", [
                "workspace_id": .string(client.server.workspaceID), "sync_delay_seconds": 12, "deletion_delay_seconds": 3,
                "refusals": [["operations": ["create", "delete"], "probability": 0.5, "reservation_ids": ["r1"], "guest_emails": ["A@Example.com"]]],
            ])
            #expect(set.status == 200)
            let expected = ProviderBehavior(syncDelay: 12, deletionDelay: 3, refusals: [
                RefusalRule(operations: [.create, .delete], probability: 0.5, reservationIDs: ["r1"], guestEmails: ["a@example.com"]),
            ])
            #expect(client.controls.providerBehavior(workspaceID: client.server.workspaceID) == expected)
            #expect(client.controls.providerBehavior() == .synchronous)
            let read = try await client.admin("/_sandbox/provider?workspace_id=\(client.server.workspaceID)")
            #expect(read.json["provider"]?["sync_delay_seconds"] == 12 && read.json["provider"]?["deletion_delay_seconds"] == 3)
            _ = try await client.admin("/_sandbox/provider", ["workspace_id": .string(client.server.workspaceID)])
            #expect(client.controls.providerBehavior(workspaceID: client.server.workspaceID) == .synchronous)
            let bad = try await client.admin("/_sandbox/provider", ["sync_delay_seconds": -1, "refusals": [["operations": ["fly"], "probability": 2]]])
            #expect(bad.status == 400 && bad.errorType == "invalid_input")
            #expect(bad.validationErrors("sync_delay_seconds").count == 1)
            #expect(bad.validationErrors("refusals", "0", "operations", "0").count == 1)
            #expect(bad.validationErrors("refusals", "0", "probability").count == 1)
        }
    }

    @Test func dumpShowsPendingMutationsErrorsAndSyncTimes() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 30, refusals: [RefusalRule(reservationIDs: ["r-dump"])]))
            let userID = try await client.createGuest(email: "dump@example.com", reservation: "r-dump")
            var user = client.controls.dumpStateJSON()["workspaces"]?[client.server.workspaceID]?["acs_users"]?[userID]
            #expect(user?["pending_mutations"]?.arrayValue?.first?["is_refused"] == true)
            #expect(user?["pending_mutations"]?.arrayValue?.first?["settles_at"] == timestamp(start.addingTimeInterval(30)))
            client.controls.advanceClock(by: 30)
            user = client.controls.dumpStateJSON()["workspaces"]?[client.server.workspaceID]?["acs_users"]?[userID]
            #expect(user?["pending_mutations"] == [])
            #expect(user?["errors"]?.arrayValue?.first?["code"] == "failed_to_create_on_acs_system")
            #expect(user?["on_site_since"] == nil)
        }
    }
}
