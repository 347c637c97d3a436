import Foundation
import Testing
@testable import SeamSandbox

@Suite struct SaltoSubscriptionTests {
    @Test func futureStartIsUnsubscribedUntilTheClockPassesIt() async throws {
        try await withSandbox { client in
            let id = try await client.createIdentity(email: "s@example.com")
            let startsAt = Date().addingTimeInterval(2 * 86_400)
            let user = try await client.createACSUser(identityID: id, schedule: (startsAt, startsAt.addingTimeInterval(3 * 86_400)))
            #expect(user["salto_ks_metadata"]?["is_subscribed"] == false)
            #expect(user["warnings"]?.arrayValue?.compactMap { $0["warning_code"]?.stringValue } == ["salto_ks_user_not_subscribed"])
            let userID = try #require(user["acs_user_id"]?.stringValue)

            client.server.controls.advanceClock(by: 2 * 86_400 + 60)
            let during = try await client.post("/acs/users/get", ["acs_user_id": .string(userID)])
            #expect(during.json["acs_user"]?["salto_ks_metadata"]?["is_subscribed"] == true)
            #expect(during.json["acs_user"]?["warnings"] == [])

            _ = try await client.admin("/_sandbox/clock", ["advance_seconds": .number(4 * 86_400)])
            let after = try await client.post("/acs/users/get", ["acs_user_id": .string(userID)])
            #expect(after.json["acs_user"]?["salto_ks_metadata"]?["is_subscribed"] == false)
            #expect(after.json["acs_user"]?["warnings"]?.arrayValue?.first?["warning_code"] == "salto_ks_user_not_subscribed")
        }
    }

    @Test func userWithoutScheduleOrStartedScheduleIsSubscribed() async throws {
        try await withSandbox { client in
            let plain = try await client.createACSUser(identityID: nil)
            #expect(plain["salto_ks_metadata"]?["is_subscribed"] == true && plain["warnings"] == [])
            let started = try await client.createACSUser(identityID: nil, schedule: (Date().addingTimeInterval(-60), nil))
            #expect(started["salto_ks_metadata"]?["is_subscribed"] == true)
            #expect(started["access_schedule"]?["ends_at"] == .null)
        }
    }

    @Test func subscriptionDecisionIsPure() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        let schedule = ACSUserRecord.AccessSchedule(startsAt: start, endsAt: start.addingTimeInterval(100))
        #expect(!SaltoKSSubscription(schedule: schedule, now: start.addingTimeInterval(-1)).isSubscribed)
        #expect(SaltoKSSubscription(schedule: schedule, now: start).isSubscribed)
        #expect(SaltoKSSubscription(schedule: schedule, now: start.addingTimeInterval(99)).isSubscribed)
        #expect(!SaltoKSSubscription(schedule: schedule, now: start.addingTimeInterval(100)).isSubscribed)
        #expect(SaltoKSSubscription(schedule: nil, now: start).isSubscribed)
    }
}
