import Foundation
import Testing
@testable import SeamAPI

/// Payloads written from the spec's schemas, plus fields a newer Seam might add.
@Suite struct ModelDecodingTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    @Test func acsUserWithUnknownFieldsAndSaltoMetadata() throws {
        let response = try decode(SeamSingleResponse<ACSUser>.self, """
        {"ok": true, "brand_new_top_level": 1, "acs_user": {
          "acs_user_id": "33333333-3333-3333-3333-333333333333",
          "acs_system_id": "11111111-1111-1111-1111-111111111111",
          "user_identity_id": "44444444-4444-4444-4444-444444444444",
          "full_name": "3333122-433", "email_address": "jane@example.com",
          "display_name": "Jane", "is_managed": true, "workspace_id": "w1",
          "created_at": "2024-10-01T10:00:00.000Z",
          "access_schedule": {"starts_at": "2024-11-01T15:00:00.000Z", "ends_at": "2024-11-04T11:00:00.000Z"},
          "salto_ks_metadata": {"is_subscribed": false, "future_flag": "x"},
          "pending_mutations": [{"mutation_code": "deferring_creation", "created_at": "2024-10-01T10:00:00.000Z", "message": "m"}],
          "warnings": [{"warning_code": "salto_ks_user_not_subscribed", "message": "not subscribed", "created_at": "2024-10-01T10:00:00.000Z"}],
          "errors": [{"error_code": "failed_to_create_on_acs_system", "message": "email in use"}],
          "some_future_object": {"nested": [1, 2, 3]}
        }}
        """)
        let user = response.resource
        #expect(user.acsUserID == "33333333-3333-3333-3333-333333333333")
        #expect(user.fullName == "3333122-433")
        #expect(user.accessSchedule == ACSAccessSchedule(startsAt: "2024-11-01T15:00:00.000Z", endsAt: "2024-11-04T11:00:00.000Z"))
        #expect(user.saltoKSMetadata?.isSubscribed == false)
        #expect(user.pendingMutations?.first?.mutationCode == "deferring_creation")
        #expect(user.warnings == [SeamNotice(code: "salto_ks_user_not_subscribed", message: "not subscribed", createdAt: "2024-10-01T10:00:00.000Z")])
        #expect(user.errors?.first?.code == "failed_to_create_on_acs_system")
    }

    @Test func minimalObjectsDecodeWithOnlyTheirIDs() throws {
        #expect(try decode(ACSUser.self, #"{"acs_user_id": "u"}"#) == ACSUser(acsUserID: "u"))
        #expect(try decode(UserIdentity.self, #"{"user_identity_id": "i"}"#) == UserIdentity(userIdentityID: "i"))
        #expect(try decode(ACSCredential.self, #"{"acs_credential_id": "c"}"#) == ACSCredential(acsCredentialID: "c"))
        #expect(try decode(ACSSystem.self, #"{"acs_system_id": "s"}"#) == ACSSystem(acsSystemID: "s"))
        #expect(try decode(ACSAccessGroup.self, #"{"acs_access_group_id": "g"}"#) == ACSAccessGroup(acsAccessGroupID: "g"))
    }

    @Test func nullsReadAsMissing() throws {
        let identity = try decode(UserIdentity.self, """
        {"user_identity_id": "i", "user_identity_key": null, "email_address": "a@b.c", "phone_number": null,
         "full_name": null, "display_name": "a", "created_at": "2024-01-01T00:00:00.000Z",
         "merged_user_identity_keys": [], "acs_user_ids": ["u1"], "errors": [], "warnings": []}
        """)
        #expect(identity == UserIdentity(userIdentityID: "i", emailAddress: "a@b.c", createdAt: "2024-01-01T00:00:00.000Z"))
    }

    @Test func missingIDIsAnError() {
        #expect(throws: DecodingError.self) { try decode(ACSUser.self, #"{"full_name": "x"}"#) }
    }

    @Test func credentialSystemAndGroupFields() throws {
        let credential = try decode(ACSCredential.self, """
        {"acs_credential_id": "c", "acs_user_id": "u", "acs_system_id": "s", "access_method": "mobile_key",
         "is_multi_phone_sync_credential": true, "is_latest_desired_state_synced_with_provider": false,
         "warnings": [{"warning_code": "waiting_to_be_issued", "message": "w"}], "visionline_metadata": {"card_function_type": "guest"}}
        """)
        #expect(credential.accessMethod == "mobile_key")
        #expect(credential.isMultiPhoneSyncCredential == true)
        #expect(credential.warnings?.first?.code == "waiting_to_be_issued")

        let systems = try decode(SeamPage<ACSSystem>.self, """
        {"ok": true, "acs_systems": [{"acs_system_id": "s", "name": "Building A", "external_type": "salto_ks_site",
          "warnings": [{"warning_code": "salto_ks_subscription_limit_almost_reached", "message": "80%"}]}]}
        """)
        #expect(systems.items.first?.externalType == ACSSystem.saltoKSExternalType)
        #expect(systems.pagination == nil)
        #expect(systems.nextPageCursor == nil)

        let group = try decode(SeamSingleResponse<ACSAccessGroup>.self, """
        {"ok": true, "acs_access_group": {"acs_access_group_id": "g", "acs_system_id": "s", "name": "Lobby",
         "external_type": "salto_ks_access_group", "access_group_type": "salto_ks_access_group"}}
        """)
        #expect(group.resource == ACSAccessGroup(acsAccessGroupID: "g", acsSystemID: "s", name: "Lobby", externalType: "salto_ks_access_group"))
    }

    @Test func requestsEncodeSnakeCaseAndOmitNils() throws {
        let create = ACSUserRequests.Create(
            acsSystemID: "s", fullName: "R1", userIdentityID: "i",
            accessSchedule: ACSAccessSchedule(startsAt: "2024-11-01T15:00:00.000Z", endsAt: "2024-11-04T11:00:00.000Z"))
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(create)) as? [String: Any]
        #expect(Set(try #require(object).keys) == ["acs_system_id", "full_name", "user_identity_id", "access_schedule"])
        let schedule = object?["access_schedule"] as? [String: String]
        #expect(schedule == ["starts_at": "2024-11-01T15:00:00.000Z", "ends_at": "2024-11-04T11:00:00.000Z"])

        let update = ACSUserRequests.Update(.userIdentity("i", acsSystemID: "s"), fullName: "R2")
        let updateObject = try JSONSerialization.jsonObject(with: JSONEncoder().encode(update)) as? [String: String]
        #expect(updateObject == ["user_identity_id": "i", "acs_system_id": "s", "full_name": "R2"])

        let credential = ACSCredentialRequests.Create(acsUserID: "u", isMultiPhoneSyncCredential: true)
        let credentialObject = try JSONSerialization.jsonObject(with: JSONEncoder().encode(credential)) as? [String: Any]
        #expect(credentialObject?["access_method"] as? String == "mobile_key")
        #expect(credentialObject?["is_multi_phone_sync_credential"] as? Bool == true)
        #expect(credentialObject?.count == 3)
    }
}
