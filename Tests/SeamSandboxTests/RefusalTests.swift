import Foundation
import Testing
@testable import SeamSandbox

/// The site refuses changes by rule; the refusal shows when the change settles.
@Suite struct RefusalTests {
    let start = SandboxTestClient.start

    @Test func refusedCreateSettlesIntoFailedToCreateAfterTheDelay() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 20, refusals: [RefusalRule(probability: 1.0)]))
            let userID = try await client.createGuest(email: "no@example.com", reservation: "r-no")
            #expect(codes(try await client.acsUser(userID)["pending_mutations"], "mutation_code") == ["creating"])
            client.controls.advanceClock(by: 20)
            let refused = try await client.acsUser(userID)
            #expect(refused["pending_mutations"] == [])
            #expect(refused["errors"] == [[
                "error_code": "failed_to_create_on_acs_system", "message": "The access system refused to create the user.",
                "created_at": timestamp(start.addingTimeInterval(20)),
            ]])
            #expect(refused["last_successful_sync_at"] == .null)
            #expect(refused["salto_ks_metadata"]?["is_subscribed"] == false)
        }
    }

    @Test func withoutADelayTheRefusalIsInTheCreateAnswer() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(refusals: [RefusalRule()]))
            let user = try await client.createACSUser(identityID: nil)
            #expect(user["pending_mutations"] == [])
            #expect(codes(user["errors"], "error_code") == ["failed_to_create_on_acs_system"])
        }
    }

    @Test func refusalByReservationIDTouchesOnlyThatUser() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(refusals: [RefusalRule(reservationIDs: ["3333122-433"])]))
            let refused = try await client.createGuest(email: "one@example.com", reservation: "3333122-433")
            let accepted = try await client.createGuest(email: "two@example.com", reservation: "3333122-434")
            #expect(codes(try await client.acsUser(refused)["errors"], "error_code") == ["failed_to_create_on_acs_system"])
            #expect(try await client.acsUser(accepted)["errors"] == [])
        }
    }

    @Test func refusalByGuestEmailUsesTheLinkedIdentityCaseInsensitively() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(refusals: [RefusalRule(guestEmails: ["Taken@Example.com"])]))
            let refused = try await client.createGuest(email: "taken@example.com", reservation: "r1")
            let accepted = try await client.createGuest(email: "free@example.com", reservation: "r2")
            #expect(codes(try await client.acsUser(refused)["errors"], "error_code") == ["failed_to_create_on_acs_system"])
            #expect(try await client.acsUser(accepted)["errors"] == [])
        }
    }

    @Test func aRefusedUsersCredentialNeverSyncs() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 10, refusals: [RefusalRule(reservationIDs: ["r-stuck"])]))
            let userID = try await client.createGuest(email: "stuck@example.com", reservation: "r-stuck")
            let credentialID = try #require(try await client.createMobileKey(acsUserID: userID)["acs_credential_id"]?.stringValue)
            client.controls.advanceClock(by: 86_400)
            let credential = try await client.credential(credentialID)
            #expect(credential["is_latest_desired_state_synced_with_provider"] == false)
            #expect(codes(credential["warnings"], "warning_code") == ["waiting_to_be_issued"])
        }
    }

    @Test func refusedScheduleUpdateRollsBackAndSettlesIntoFailedToUpdate() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let original = (start.addingTimeInterval(86_400), start.addingTimeInterval(2 * 86_400))
            let userID = try await client.createGuest(email: "upd@example.com", reservation: "r-upd", schedule: (original.0, original.1))
            // Only updates are refused: creation went through above, and will again below.
            client.controls.setProviderBehavior(ProviderBehavior(syncDelay: 5, refusals: [RefusalRule(operations: [.update])]), workspaceID: client.server.workspaceID)
            _ = try await client.post("/acs/users/update", [
                "acs_user_id": .string(userID),
                "access_schedule": ["starts_at": timestamp(original.0), "ends_at": timestamp(start.addingTimeInterval(9 * 86_400))],
            ])
            #expect(codes(try await client.acsUser(userID)["pending_mutations"], "mutation_code") == ["updating_access_schedule"])
            client.controls.advanceClock(by: 5)
            let refused = try await client.acsUser(userID)
            #expect(refused["pending_mutations"] == [])
            #expect(codes(refused["errors"], "error_code") == ["failed_to_update_on_acs_system"])
            #expect(refused["access_schedule"] == ["starts_at": timestamp(original.0), "ends_at": timestamp(original.1)])
            let other = try await client.createGuest(email: "new@example.com", reservation: "r-new")
            client.controls.advanceClock(by: 5)
            #expect(try await client.acsUser(other)["errors"] == [])
        }
    }

    @Test func refusedGroupAddIsRolledBack() async throws {
        try await withSandbox { client in
            client.freezeClock()
            let userID = try await client.createGuest(email: "grp@example.com", reservation: "r-grp")
            client.controls.setProviderBehavior(ProviderBehavior(refusals: [RefusalRule(operations: [.update])]), workspaceID: client.server.workspaceID)
            _ = try await client.post("/acs/users/add_to_access_group", ["acs_user_id": .string(userID), "acs_access_group_id": .string(SandboxTestClient.groupA1)])
            let groups = try await client.post("/acs/access_groups/list", ["acs_user_id": .string(userID)])
            #expect(groups.json["acs_access_groups"] == [])
            #expect(codes(try await client.acsUser(userID)["errors"], "error_code") == ["failed_to_update_on_acs_system"])
        }
    }

    @Test func probabilityDrawsPerRequest() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(refusals: [RefusalRule(probability: 0.5)]))
            var refused = 0
            for index in 0..<60 {
                let user = try await client.createACSUser(identityID: nil, fullName: "p\(index)")
                if !codes(user["errors"], "error_code").isEmpty { refused += 1 }
            }
            // Binomial(60, 0.5): outside 10...50 has probability below 1e-6.
            #expect((10...50).contains(refused))
        }
    }

    @Test func ruleDecisionIsPure() {
        let byID = RefusalRule(operations: [.create, .delete], reservationIDs: ["r1"], guestEmails: ["G@x.com"])
        #expect(byID.refuses(.create, reservationID: "r1", guestEmails: [], random: { 0.99 }))
        #expect(byID.refuses(.delete, reservationID: "other", guestEmails: ["g@X.com"], random: { 0.99 }))
        #expect(!byID.refuses(.update, reservationID: "r1", guestEmails: [], random: { 0 }))
        #expect(!byID.refuses(.create, reservationID: "r2", guestEmails: ["h@x.com"], random: { 0 }))
        let half = RefusalRule(probability: 0.5)
        #expect(half.refuses(.create, reservationID: "any", guestEmails: [], random: { 0.49 }))
        #expect(!half.refuses(.create, reservationID: "any", guestEmails: [], random: { 0.5 }))
        let never = RefusalRule(probability: 0)
        #expect(!never.refuses(.create, reservationID: "any", guestEmails: [], random: { Issue.record("no draw needed"); return 0 }))
        let behavior = ProviderBehavior(refusals: [never, RefusalRule(operations: [.update])])
        #expect(behavior.refuses(.update, reservationID: "x", guestEmails: [], random: { 0.5 }))
        #expect(!behavior.refuses(.create, reservationID: "x", guestEmails: [], random: { 0.5 }))
    }
}
