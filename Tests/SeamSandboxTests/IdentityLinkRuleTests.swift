import Foundation
import Testing
@testable import SeamSandbox

/// One ACS user per user identity and ACS system (issue 23): what `acs/users/create` does with a
/// second one under each `IdentityLinkRule`, and `get`/`update`/`delete` by identity and system.
@Suite struct IdentityLinkRuleTests {
    let start = SandboxTestClient.start
    static let buildingA = SandboxTestClient.buildingA
    static let buildingB = SandboxTestClient.buildingB

    /// `{user_identity_id, acs_system_id}` on building A.
    static func pair(_ identityID: String, system: String = buildingA) -> [String: JSONValue] {
        ["user_identity_id": .string(identityID), "acs_system_id": .string(system)]
    }

    static func createBody(_ identityID: String, system: String = buildingA, fullName: String) -> JSONValue {
        ["acs_system_id": .string(system), "full_name": .string(fullName), "user_identity_id": .string(identityID)]
    }

    /// The ids of the users `acs/users/list` gives for `body`, in order.
    static func listedIDs(_ client: SandboxTestClient, _ body: [String: JSONValue]) async throws -> [String] {
        let reply = try await client.post("/acs/users/list", .object(body))
        return reply.json["acs_users"]?.arrayValue?.compactMap { $0["acs_user_id"]?.stringValue } ?? []
    }

    static func id(_ user: JSONValue) throws -> String {
        try #require(user["acs_user_id"]?.stringValue)
    }

    // MARK: - refuse (the default)

    @Test func byDefaultASecondUserForTheIdentityOnTheSystemIsRefusedWith400() async throws {
        try await withSandbox { client in
            #expect(client.controls.identityLinkRule() == .refuse)
            #expect(client.controls.identityLinkRule(workspaceID: client.server.workspaceID) == .refuse)
            let guest = try await client.createIdentity(email: "back@example.com")
            let first = try Self.id(try await client.createACSUser(identityID: guest, fullName: "stay-1"))
            let second = try await client.post("/acs/users/create", Self.createBody(guest, fullName: "stay-2"))
            #expect(second.status == 400)
            #expect(second.errorType == "user_identity_already_has_acs_user")
            #expect(second.errorType == IdentityLinkRule.refusalErrorType)
            #expect(second.json["error"]?["data"] == [
                "acs_user_id": .string(first), "user_identity_id": .string(guest), "acs_system_id": .string(Self.buildingA),
            ])
            #expect(second.json["error"]?["message"]?.stringValue?.contains(first) == true)
            #expect(try await Self.listedIDs(client, Self.pair(guest)) == [first])
            // Another system, another identity, and users without an identity are not concerned.
            _ = try await client.createACSUser(identityID: guest, system: Self.buildingB)
            let other = try await client.createIdentity(email: "other@example.com")
            _ = try await client.createACSUser(identityID: other)
            _ = try await client.createACSUser(identityID: nil, fullName: "walk-in-1")
            _ = try await client.createACSUser(identityID: nil, fullName: "walk-in-2")
            #expect(try await Self.listedIDs(client, ["acs_system_id": .string(Self.buildingA)]).count == 4)
        }
    }

    @Test func aUserBeingDeletedOrRefusedByTheSiteStillCounts() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(deletionDelay: 30, refusals: [RefusalRule(reservationIDs: ["refused"])]))
            let guest = try await client.createIdentity(email: "slow@example.com")
            let first = try Self.id(try await client.createACSUser(identityID: guest, fullName: "stay-1"))
            #expect(try await client.post("/acs/users/delete", ["acs_user_id": .string(first)]).status == 200)
            #expect(codes(try await client.acsUser(first)["warnings"], "warning_code") == ["being_deleted"])
            let whileDeleting = try await client.post("/acs/users/create", Self.createBody(guest, fullName: "stay-2"))
            #expect(whileDeleting.status == 400 && whileDeleting.errorType == IdentityLinkRule.refusalErrorType)
            client.controls.advanceClock(by: 30)
            let refused = try await client.createACSUser(identityID: guest, fullName: "refused")
            #expect(codes(refused["errors"], "error_code") == ["failed_to_create_on_acs_system"])
            let afterRefusal = try await client.post("/acs/users/create", Self.createBody(guest, fullName: "stay-3"))
            #expect(afterRefusal.status == 400 && afterRefusal.json["error"]?["data"]?["acs_user_id"] == refused["acs_user_id"])
        }
    }

    // MARK: - allow

    @Test func allowKeepsBothLinkedAndThePairNamesTheOldest() async throws {
        try await withSandbox { client in
            client.controls.setIdentityLinkRule(.allow)
            let guest = try await client.createIdentity(email: "twice@example.com")
            let first = try Self.id(try await client.createACSUser(identityID: guest, fullName: "stay-1"))
            let secondUser = try await client.createACSUser(identityID: guest, fullName: "stay-2")
            let second = try Self.id(secondUser)
            #expect(secondUser["user_identity_id"]?.stringValue == guest)
            #expect(secondUser["errors"] == [])
            let listed = try await client.post("/acs/users/list", .object(Self.pair(guest)))
            #expect(listed.json["acs_users"]?.arrayValue?.compactMap { $0["user_identity_id"]?.stringValue } == [guest, guest])
            #expect(try await Self.listedIDs(client, Self.pair(guest)) == [first, second])
            let identity = try await client.post("/user_identities/get", ["user_identity_id": .string(guest)])
            #expect(identity.json["user_identity"]?["acs_user_ids"] == [.string(first), .string(second)])

            let got = try await client.post("/acs/users/get", .object(Self.pair(guest)))
            #expect(got.json["acs_user"]?["acs_user_id"]?.stringValue == first)
            var rename = Self.pair(guest)
            rename["full_name"] = "renamed"
            #expect(try await client.post("/acs/users/update", .object(rename)).json == ["ok": true])
            #expect(try await client.acsUser(first)["full_name"] == "renamed")
            #expect(try await client.acsUser(second)["full_name"] == "stay-2")
            #expect(try await client.post("/acs/users/delete", .object(Self.pair(guest))).json == ["ok": true])
            #expect(try await client.post("/acs/users/get", ["acs_user_id": .string(first)]).status == 404)
            let next = try await client.post("/acs/users/get", .object(Self.pair(guest)))
            #expect(next.json["acs_user"]?["acs_user_id"]?.stringValue == second)
        }
    }

    // MARK: - refuse_on_site

    @Test func refuseOnSiteAcceptsTheCreateThenTheSiteRefusesIt() async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 20))
            client.controls.setIdentityLinkRule(.refuseOnSite)
            let guest = try await client.createIdentity(email: "site@example.com")
            let first = try Self.id(try await client.createACSUser(identityID: guest, fullName: "stay-1"))
            client.controls.advanceClock(by: 20)
            let accepted = try await client.post("/acs/users/create", Self.createBody(guest, fullName: "stay-2"))
            #expect(accepted.status == 200)
            let second = try #require(accepted.json["acs_user"]?["acs_user_id"]?.stringValue)
            #expect(codes(accepted.json["acs_user"]?["pending_mutations"], "mutation_code") == ["creating"])
            #expect(accepted.json["acs_user"]?["errors"] == [])
            let key = try #require(try await client.createMobileKey(acsUserID: second)["acs_credential_id"]?.stringValue)
            client.controls.advanceClock(by: 20)
            let refused = try await client.acsUser(second)
            #expect(refused["pending_mutations"] == [])
            #expect(codes(refused["errors"], "error_code") == ["failed_to_create_on_acs_system"])
            #expect(refused["errors"]?.arrayValue?.first?["created_at"] == timestamp(start.addingTimeInterval(40)))
            #expect(refused["errors"]?.arrayValue?.first?["message"]?.stringValue?.contains(first) == true)
            #expect(refused["user_identity_id"]?.stringValue == guest)
            #expect(try await client.credential(key)["is_latest_desired_state_synced_with_provider"] == false)
            let kept = try await client.acsUser(first)
            #expect(kept["errors"] == [] && kept["pending_mutations"] == [])
            #expect(try await client.post("/acs/users/get", .object(Self.pair(guest))).json["acs_user"]?["acs_user_id"]?.stringValue == first)
            // Without a sync delay the refusal is already in the create's answer, as other refusals are.
            client.controls.setProviderBehavior(.synchronous, workspaceID: client.server.workspaceID)
            let third = try await client.createACSUser(identityID: guest, fullName: "stay-3")
            #expect(codes(third["errors"], "error_code") == ["failed_to_create_on_acs_system"])
            // The first user of an identity is never refused.
            let newcomer = try await client.createIdentity(email: "new@example.com")
            #expect(try await client.createACSUser(identityID: newcomer)["errors"] == [])
        }
    }

    // MARK: - relink

    @Test func relinkMovesTheIdentityAndItsKeysViewToTheNewUser() async throws {
        try await withSandbox { client in
            client.controls.setIdentityLinkRule(.relink)
            let guest = try await client.createIdentity(email: "moved@example.com")
            let first = try Self.id(try await client.createACSUser(identityID: guest, fullName: "stay-1"))
            let firstKey = try #require(try await client.createMobileKey(acsUserID: first)["acs_credential_id"]?.stringValue)
            let secondUser = try await client.createACSUser(identityID: guest, fullName: "stay-2")
            let second = try Self.id(secondUser)
            #expect(secondUser["user_identity_id"]?.stringValue == guest && secondUser["errors"] == [])
            let orphan = try await client.acsUser(first)
            #expect(orphan.objectValue?.keys.contains("user_identity_id") == false)
            #expect(orphan.objectValue?.keys.contains("user_identity_email_address") == false)
            #expect(try await client.credential(firstKey).objectValue?.keys.contains("user_identity_id") == false)
            let keysOfGuest = try await client.post("/acs/credentials/list", ["user_identity_id": .string(guest)])
            #expect(keysOfGuest.json["acs_credentials"] == [])
            #expect(try await Self.listedIDs(client, Self.pair(guest)) == [second])
            #expect(try await Self.listedIDs(client, ["acs_system_id": .string(Self.buildingA)]) == [first, second])
            let identity = try await client.post("/user_identities/get", ["user_identity_id": .string(guest)])
            #expect(identity.json["user_identity"]?["acs_user_ids"] == [.string(second)])
            #expect(try await client.post("/acs/users/get", .object(Self.pair(guest))).json["acs_user"]?["acs_user_id"]?.stringValue == second)
            // Deleting the identity takes its user, not the one it left.
            #expect(try await client.post("/user_identities/delete", ["user_identity_id": .string(guest)]).status == 200)
            #expect(try await client.post("/acs/users/get", ["acs_user_id": .string(second)]).status == 404)
            #expect(try await client.post("/acs/users/get", ["acs_user_id": .string(first)]).status == 200)
        }
    }

    // MARK: - Every rule

    @Test(arguments: IdentityLinkRule.allCases)
    func getUpdateAndDeleteByIdentityAndSystem(rule: IdentityLinkRule) async throws {
        try await withSandbox { client in
            client.controls.setIdentityLinkRule(rule)
            let guest = try await client.createIdentity(email: "pair@example.com")
            let onA = try Self.id(try await client.createACSUser(identityID: guest, system: Self.buildingA))
            let onB = try Self.id(try await client.createACSUser(identityID: guest, system: Self.buildingB))
            let got = try await client.post("/acs/users/get", .object(Self.pair(guest, system: Self.buildingB)))
            #expect(got.status == 200 && got.json["acs_user"]?["acs_user_id"]?.stringValue == onB)
            let viaGET = try await client.get("/acs/users/get", query: "user_identity_id=\(guest)&acs_system_id=\(Self.buildingA)")
            #expect(viaGET.json["acs_user"]?["acs_user_id"]?.stringValue == onA)
            let startsAt = Date().addingTimeInterval(86_400)
            var update = Self.pair(guest)
            update["access_schedule"] = ["starts_at": .timestamp(startsAt), "ends_at": .timestamp(startsAt.addingTimeInterval(3600))]
            #expect(try await client.post("/acs/users/update", .object(update)).json == ["ok": true])
            #expect(try await client.acsUser(onA)["access_schedule"]?["starts_at"] == .timestamp(startsAt))
            #expect(try await client.acsUser(onB).objectValue?.keys.contains("access_schedule") == false)
            #expect(try await client.post("/acs/users/delete", .object(Self.pair(guest))).json == ["ok": true])
            for route in ["/acs/users/get", "/acs/users/update", "/acs/users/delete"] {
                let gone = try await client.post(route, .object(Self.pair(guest)))
                #expect(gone.status == 404 && gone.errorType == "acs_user_not_found", "\(route) under \(rule)")
            }
            #expect(try await client.acsUser(onB)["acs_user_id"]?.stringValue == onB)
        }
    }

    @Test(arguments: ["/acs/users/get", "/acs/users/update", "/acs/users/delete"])
    func aUserIsNamedByItsIdOrByThePairNeverBothOrHalf(route: String) async throws {
        try await withSandbox { client in
            let guest = try await client.createIdentity(email: "half@example.com")
            let user = try Self.id(try await client.createACSUser(identityID: guest))
            let neither = try await client.post(route, [:])
            #expect(neither.status == 400 && neither.validationErrors("acs_user_id") == ["Provide acs_user_id, or user_identity_id and acs_system_id"])
            var both = Self.pair(guest)
            both["acs_user_id"] = .string(user)
            let bothReply = try await client.post(route, .object(both))
            #expect(bothReply.status == 400 && bothReply.errorType == "invalid_input")
            #expect(bothReply.validationErrors("acs_user_id") == ["Provide either acs_user_id, or user_identity_id and acs_system_id, not both"])
            let idAndSystem = try await client.post(route, ["acs_user_id": .string(user), "acs_system_id": .string(Self.buildingA)])
            #expect(idAndSystem.status == 400 && idAndSystem.validationErrors("acs_user_id").count == 1)
            let identityOnly = try await client.post(route, ["user_identity_id": .string(guest)])
            #expect(identityOnly.status == 400 && identityOnly.validationErrors("acs_system_id") == ["Required with user_identity_id"])
            let systemOnly = try await client.post(route, ["acs_system_id": .string(Self.buildingA)])
            #expect(systemOnly.status == 400 && systemOnly.validationErrors("user_identity_id") == ["Required with acs_system_id"])
            let badUUID = try await client.post(route, ["user_identity_id": "nope", "acs_system_id": .string(Self.buildingA)])
            #expect(badUUID.status == 400 && badUUID.validationErrors("user_identity_id") == ["Invalid uuid"])
            let unknownIdentity = try await client.post(route, .object(Self.pair(UUID().uuidString.lowercased())))
            #expect(unknownIdentity.status == 404 && unknownIdentity.errorType == "acs_user_not_found")
            let otherSystem = try await client.post(route, .object(Self.pair(guest, system: Self.buildingB)))
            #expect(otherSystem.status == 404 && otherSystem.errorType == "acs_user_not_found")
            // Nothing was changed by the refused calls.
            #expect(try await client.acsUser(user)["warnings"] == [])
        }
    }

    @Test(arguments: IdentityLinkRule.allCases)
    func createWithGroupsMakesTheUserAMemberAtOnce(rule: IdentityLinkRule) async throws {
        try await withSandbox { client in
            client.freezeClock(behavior: ProviderBehavior(syncDelay: 20))
            client.controls.setIdentityLinkRule(rule)
            let guest = try await client.createIdentity(email: "groups@example.com")
            let groups = [SandboxTestClient.groupA1, SandboxTestClient.groupA2, SandboxTestClient.groupA1]
            let user = try await client.createACSUser(identityID: guest, groups: groups)
            let userID = try Self.id(user)
            // Part of the creation, as add_to_access_group is for a user the site does not have yet.
            #expect(codes(user["pending_mutations"], "mutation_code") == ["creating"])
            for group in [SandboxTestClient.groupA1, SandboxTestClient.groupA2] {
                let members = try await client.post("/acs/access_groups/list_users", ["acs_access_group_id": .string(group)])
                #expect(members.json["acs_users"]?.arrayValue?.compactMap { $0["acs_user_id"]?.stringValue } == [userID])
            }
            client.controls.advanceClock(by: 20)
            let settled = try await client.post("/acs/access_groups/list", ["acs_user_id": .string(userID)])
            #expect(settled.json["acs_access_groups"]?.arrayValue?.compactMap { $0["acs_access_group_id"]?.stringValue }
                == [SandboxTestClient.groupA1, SandboxTestClient.groupA2])
            #expect(try await client.acsUser(userID)["pending_mutations"] == [])

            let other = try await client.createIdentity(email: "groups2@example.com")
            var foreign = Self.createBody(other, fullName: "x").objectValue ?? [:]
            foreign["acs_access_group_ids"] = [.string(SandboxTestClient.groupB1)]
            let foreignReply = try await client.post("/acs/users/create", .object(foreign))
            #expect(foreignReply.status == 400 && foreignReply.errorType == "invalid_input")
            #expect(foreignReply.validationErrors("acs_access_group_ids").count == 1)
            var unknown = Self.createBody(other, fullName: "x").objectValue ?? [:]
            unknown["acs_access_group_ids"] = [.string(SandboxTestClient.groupA1), .string(UUID().uuidString.lowercased())]
            let unknownReply = try await client.post("/acs/users/create", .object(unknown))
            #expect(unknownReply.status == 404 && unknownReply.errorType == "acs_access_group_not_found")
            // Neither refused create left a user behind.
            #expect(try await Self.listedIDs(client, ["user_identity_id": .string(other)]) == [])
        }
    }

    // MARK: - Controls

    @Test func theRuleIsSetThroughTheAdminAPIPerWorkspaceAndResetToRefuse() async throws {
        try await withSandbox { client in
            let workspace = client.server.workspaceID
            #expect(try await client.admin("/_sandbox/identity_link_rule").json["identity_link_rule"] == "refuse")
            let set = try await client.admin("/_sandbox/identity_link_rule", ["identity_link_rule": "allow"])
            #expect(set.status == 200 && set.json["identity_link_rule"] == "allow")
            let guest = try await client.createIdentity(email: "admin@example.com")
            _ = try await client.createACSUser(identityID: guest, fullName: "stay-1")
            #expect(try await client.post("/acs/users/create", Self.createBody(guest, fullName: "stay-2")).status == 200)

            let perWorkspace = try await client.admin("/_sandbox/identity_link_rule", ["workspace_id": .string(workspace), "identity_link_rule": "refuse_on_site"])
            #expect(perWorkspace.json["identity_link_rule"] == "refuse_on_site")
            #expect(client.controls.identityLinkRule(workspaceID: workspace) == .refuseOnSite)
            #expect(client.controls.identityLinkRule() == .allow)
            let onSite = try await client.post("/acs/users/create", Self.createBody(guest, fullName: "stay-3"))
            #expect(codes(onSite.json["acs_user"]?["errors"], "error_code") == ["failed_to_create_on_acs_system"])
            #expect(try await client.admin("/_sandbox/identity_link_rule?workspace_id=\(workspace)").json["identity_link_rule"] == "refuse_on_site")

            let bad = try await client.admin("/_sandbox/identity_link_rule", ["identity_link_rule": "refuse-on-site"])
            #expect(bad.status == 400 && bad.errorType == "invalid_input" && bad.validationErrors("identity_link_rule").count == 1)
            let badType = try await client.admin("/_sandbox/identity_link_rule", ["identity_link_rule": 3])
            #expect(badType.status == 400)
            #expect(client.controls.identityLinkRule() == .allow)

            #expect(try await client.admin("/_sandbox/identity_link_rule", ["workspace_id": .string(workspace), "identity_link_rule": nil]).json["identity_link_rule"] == "allow")
            #expect(try await client.admin("/_sandbox/identity_link_rule", [:]).json["identity_link_rule"] == "refuse")
            #expect(try await client.post("/acs/users/create", Self.createBody(guest, fullName: "stay-4")).errorType == IdentityLinkRule.refusalErrorType)

            client.controls.setIdentityLinkRule(.relink, workspaceID: workspace)
            client.controls.setIdentityLinkRule(.allow)
            #expect(try await client.admin("/_sandbox/reset", ["include_controls": true]).status == 200)
            #expect(client.controls.identityLinkRule(workspaceID: workspace) == .refuse)
            #expect(client.controls.identityLinkRule() == .refuse)
        }
    }

    @Test func namesReadInBothSpellings() {
        #expect(IdentityLinkRule(name: "refuse-on-site") == .refuseOnSite)
        #expect(IdentityLinkRule(name: "refuse_on_site") == .refuseOnSite)
        #expect(IdentityLinkRule(name: "relink") == .relink)
        #expect(IdentityLinkRule(name: "Relink") == nil)
        #expect(IdentityLinkRule(name: "") == nil)
        #expect(IdentityLinkRule.allCases.map(\.argumentName) == ["refuse", "allow", "refuse-on-site", "relink"])
        #expect(IdentityLinkRule.default == .refuse)
    }
}
