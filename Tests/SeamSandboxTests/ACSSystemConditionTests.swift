import Foundation
import Testing
@testable import SeamSandbox

/// ACS system errors and warnings: injected through the controls, or produced by subscription slots.
@Suite struct ACSSystemConditionTests {
    let start = SandboxTestClient.start

    private func system(_ client: SandboxTestClient, _ id: String = SandboxTestClient.buildingA) async throws -> JSONValue {
        let reply = try await client.post("/acs/systems/get", ["acs_system_id": .string(id)])
        return try #require(reply.json["acs_system"])
    }

    @Test func injectedErrorsAndWarningsShowInTheSpecShapeUntilCleared() async throws {
        try await withSandbox { client in
            client.freezeClock()
            try client.controls.setACSSystemConditions(
                errors: [.acsSystemDisconnected, .saltoKSSubscriptionLimitExceeded],
                warnings: [.saltoKSSubscriptionLimitAlmostReached], acsSystemID: SandboxTestClient.buildingA
            )
            let broken = try await system(client)
            #expect(broken["errors"] == [
                ["error_code": "acs_system_disconnected", "message": "The access control system has been disconnected.", "created_at": timestamp(start)],
                ["error_code": "salto_ks_subscription_limit_exceeded", "message": "The maximum number of users allowed for the site has been reached.",
                 "created_at": timestamp(start)],
            ])
            #expect(codes(broken["warnings"], "warning_code") == ["salto_ks_subscription_limit_almost_reached"])
            #expect(try await system(client, SandboxTestClient.buildingB)["errors"] == [])
            // A code kept across a second call keeps its created_at.
            client.controls.advanceClock(by: 60)
            try client.controls.setACSSystemConditions(errors: [.acsSystemDisconnected], warnings: [], acsSystemID: SandboxTestClient.buildingA)
            let kept = try await system(client)
            #expect(kept["errors"]?.arrayValue?.first?["created_at"] == timestamp(start) && kept["warnings"] == [])

            let cleared = try await client.admin("/_sandbox/acs_system", ["acs_system_id": .string(SandboxTestClient.buildingA), "errors": []])
            #expect(cleared.status == 200)
            #expect(try await system(client)["errors"] == [])
        }
    }

    @Test func conditionsOverHTTPAreValidated() async throws {
        try await withSandbox { client in
            let set = try await client.admin("/_sandbox/acs_system", [
                "acs_system_id": .string(SandboxTestClient.buildingB), "errors": ["acs_system_disconnected"],
                "warnings": ["salto_ks_subscription_limit_almost_reached"],
            ])
            #expect(set.status == 200)
            #expect(codes(try await system(client, SandboxTestClient.buildingB)["errors"], "error_code") == ["acs_system_disconnected"])
            let unknown = try await client.admin("/_sandbox/acs_system", ["acs_system_id": "00000000-0000-4000-8000-000000000000", "errors": []])
            #expect(unknown.status == 404 && unknown.errorType == "acs_system_not_found")
            let bad = try await client.admin("/_sandbox/acs_system", [
                "acs_system_id": .string(SandboxTestClient.buildingB), "errors": ["on_fire"], "subscription_slots": -1,
            ])
            #expect(bad.status == 400 && bad.validationErrors("errors", "0").count == 1 && bad.validationErrors("subscription_slots").count == 1)
            #expect(throws: SandboxErrorReply.self) {
                try client.controls.setSubscriptionSlots(-1, acsSystemID: SandboxTestClient.buildingA)
            }
        }
    }

    @Test func slotLimitWarnsAbove80PercentAndRefusesTheUserThatDoesNotFit() async throws {
        try await withSandbox { client in
            client.freezeClock()
            try client.controls.setSubscriptionSlots(5, acsSystemID: SandboxTestClient.buildingA)
            var users: [String] = []
            for index in 0..<4 {
                client.controls.advanceClock(by: 10)
                users.append(try #require(try await client.createACSUser(identityID: nil, fullName: "slot\(index)")["acs_user_id"]?.stringValue))
            }
            #expect(try await system(client)["warnings"] == [])  // 4 of 5 is 80%, not above
            client.controls.advanceClock(by: 10)
            users.append(try #require(try await client.createACSUser(identityID: nil, fullName: "slot4")["acs_user_id"]?.stringValue))
            let almost = try await system(client)
            #expect(almost["warnings"] == [[
                "warning_code": "salto_ks_subscription_limit_almost_reached",
                "message": "The Salto KS site has exceeded 80% of its subscription slots.", "created_at": timestamp(start.addingTimeInterval(50)),
            ]])
            #expect(almost["errors"] == [])

            client.controls.advanceClock(by: 10)
            let sixth = try await client.createACSUser(identityID: nil, fullName: "slot5")
            #expect(sixth["errors"] == [[
                "error_code": "salto_ks_subscription_limit_exceeded",
                "message": "The user could not be subscribed on Salto KS because the site's subscription limit has been exceeded.",
                "created_at": timestamp(start.addingTimeInterval(60)),
            ]])
            #expect(sixth["salto_ks_metadata"]?["is_subscribed"] == false)
            #expect(codes(sixth["warnings"], "warning_code") == ["salto_ks_user_not_subscribed"])
            let full = try await system(client)
            #expect(codes(full["errors"], "error_code") == ["salto_ks_subscription_limit_exceeded"])
            #expect(full["errors"]?.arrayValue?.first?["created_at"] == timestamp(start.addingTimeInterval(60)))
            #expect(try await system(client, SandboxTestClient.buildingB)["errors"] == [])

            // Deleting the refused user clears the system error; freeing a slot lets the next one in.
            let sixthID = try #require(sixth["acs_user_id"]?.stringValue)
            _ = try await client.post("/acs/users/delete", ["acs_user_id": .string(sixthID)])
            #expect(try await system(client)["errors"] == [])
            _ = try await client.post("/acs/users/delete", ["acs_user_id": .string(users[0])])
            #expect(try await client.createACSUser(identityID: nil, fullName: "slot6")["errors"] == [])
        }
    }

    @Test func slotsAreJudgedWhenTheCreationSettles() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 10))
            try client.controls.setSubscriptionSlots(1, acsSystemID: SandboxTestClient.buildingA)
            let first = try #require(try await client.createACSUser(identityID: nil, fullName: "a")["acs_user_id"]?.stringValue)
            let second = try #require(try await client.createACSUser(identityID: nil, fullName: "b")["acs_user_id"]?.stringValue)
            #expect(try await system(client)["errors"] == [])  // both still pending
            client.controls.advanceClock(by: 10)
            #expect(try await client.acsUser(first)["errors"] == [])
            #expect(codes(try await client.acsUser(second)["errors"], "error_code") == ["salto_ks_subscription_limit_exceeded"])
        }
    }

    @Test func seedCanGiveSlotsAndResetRestoresThem() async throws {
        var seed = SandboxSeed.default
        seed.workspaces[0].acsSystems[0].subscriptionSlots = 0
        try await withSandbox(seed: seed) { client in
            #expect(codes(try await client.createACSUser(identityID: nil)["errors"], "error_code") == ["salto_ks_subscription_limit_exceeded"])
            try client.controls.setSubscriptionSlots(nil, acsSystemID: SandboxTestClient.buildingA)
            #expect(try await client.createACSUser(identityID: nil, fullName: "fits")["errors"] == [])
            client.controls.reset()
            #expect(codes(try await client.createACSUser(identityID: nil)["errors"], "error_code") == ["salto_ks_subscription_limit_exceeded"])
        }
    }

    @Test func slotUsageIsPure() {
        let t = Date(timeIntervalSince1970: 1_000)
        let arrivals = (0..<9).map { t.addingTimeInterval(Double($0)) }
        #expect(SaltoKSSlotUsage(slots: 10, arrivals: Array(arrivals.prefix(8))).almostReachedSince == nil)
        #expect(SaltoKSSlotUsage(slots: 10, arrivals: arrivals.reversed()).almostReachedSince == t.addingTimeInterval(8))
        #expect(!SaltoKSSlotUsage(slots: 10, arrivals: arrivals).isFull)
        #expect(SaltoKSSlotUsage(slots: 3, arrivals: Array(arrivals.prefix(3))).isFull)
        #expect(SaltoKSSlotUsage(slots: 0, arrivals: []).isFull)
        #expect(SaltoKSSlotUsage(slots: nil, arrivals: arrivals).almostReachedSince == nil)
    }
}
