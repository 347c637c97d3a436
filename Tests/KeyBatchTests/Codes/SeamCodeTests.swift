import Testing
@testable import KeyBatch

/// Seam's codes as a type: the text goes in and comes out unchanged, so results, state and logs
/// keep Seam's spelling; the rules on codes match cases, not substrings.
@Suite struct SeamCodeTests {
    static let knownTexts = [
        "user_identity_not_found", "acs_user_not_found", "acs_credential_not_found", "acs_access_group_not_found",
        "acs_system_not_found", "failed_to_delete_on_acs_system", "salto_ks_subscription_limit_exceeded", "being_deleted",
    ]

    @Test func everyKnownCodeRoundTripsToItsCase() {
        for text in Self.knownTexts {
            let code = SeamCode(text)
            #expect(code.description == text)
            if case .unknown = code { Issue.record("\(text) parsed as unknown") }
            #expect(SeamCode(code.description) == code)
        }
    }

    @Test func anyOtherTextIsKeptByteForByte() {
        for text in ["invalid_input", "timeout", "connection_failed", "failed_to_create_on_acs_system", "", "ACS_USER_NOT_FOUND", "é_x "] {
            #expect(SeamCode(text) == .unknown(text))
            #expect(SeamCode(text).description == text)
        }
    }

    @Test func errorCodeWritesSeamsSpelling() {
        #expect(ErrorCode.seam(SeamCode("acs_user_not_found")).rawValue == "acs_user_not_found")
        #expect(ErrorCode.seam(.unknown("invalid_input")).description == "invalid_input")
    }

    @Test func notFoundIsEveryNotFoundTypeKnownOrNot() {
        #expect(SeamCode.acsUserNotFound.isNotFound)
        #expect(SeamCode("customization_profile_not_found").isNotFound)
        #expect(!SeamCode.failedToDeleteOnACSSystem.isNotFound)
        #expect(!SeamCode("timeout").isNotFound)
        #expect(SeamOperationError(code: .acsSystemNotFound, message: "").isNotFound)
        #expect(!SeamOperationError(code: SeamCode("invalid_input"), message: "").isNotFound)
    }

    /// A not-found of the row's own identity, user or key is a stale id (redone by natural key); of
    /// the listing's system or group, or any code of KeyBatch's own, it is not.
    @Test func onlyTheRowsOwnResourcesAreStaleIDs() {
        func failure(_ code: ErrorCode, notFound: Bool = true) -> ProvisioningFailure {
            ProvisioningFailure(step: .acsUser, code: code, message: "", isNotFound: notFound, progress: ProvisionedKeys())
        }
        for code in [SeamCode.userIdentityNotFound, .acsUserNotFound, .acsCredentialNotFound, SeamCode("not_found")] {
            #expect(failure(.seam(code)).isStaleID, "\(code)")
        }
        #expect(!failure(.seam(.acsAccessGroupNotFound)).isStaleID)
        #expect(!failure(.seam(.acsSystemNotFound)).isStaleID)
        #expect(!failure(.seam(.acsUserNotFound), notFound: false).isStaleID)
        #expect(!failure(.run(.unknownAccessGroup)).isStaleID)
        #expect(!failure(.run(.unknownACSSystem)).isStaleID)
        // A not-found Seam may add for a group or system, which KeyBatch has no case for: judged
        // by its text, as before the codes were typed (a listing's fault, not a stale id).
        #expect(!failure(.seam(SeamCode("acs_access_group_gone_not_found"))).isStaleID)
        #expect(!failure(.seam(SeamCode("access_group_not_found"))).isStaleID)
        #expect(!failure(.seam(SeamCode("acs_system_not_found_in_workspace"))).isStaleID)
        #expect(!failure(.seam(.failedToDeleteOnACSSystem)).isStaleID)
        #expect(!failure(.run(.unsupportedACSSystem)).isStaleID && !failure(.run(.accessGroupsNotHeld)).isStaleID)
    }

    /// Only KeyBatch's own not-held codes make the journal forget a part rather than the user;
    /// Seam's codes never do, whatever their text.
    @Test func notHeldIsKeyBatchsTwoCodesOnly() {
        #expect(ErrorCode.run(.accessGroupsNotHeld).isNotHeld)
        #expect(ErrorCode.run(.accessScheduleNotHeld).isNotHeld)
        #expect(ErrorCode.run(.accessGroupsNotHeld).rawValue == "access_groups_not_held")
        #expect(ErrorCode.run(.accessScheduleNotHeld).rawValue == "access_schedule_not_held")
        #expect(!ErrorCode.seam(SeamCode("access_groups_not_held")).isNotHeld)
        #expect(!ErrorCode.seam(.failedToDeleteOnACSSystem).isNotHeld)
        #expect(!ErrorCode.run(.interrupted).isNotHeld)
    }

    @Test func aBeingDeletedWarningMarksAUserOrAKeyOnItsWayOut() {
        #expect(ACSUserState(acsUserID: "u", warnings: ["salto_ks_user_not_subscribed", "being_deleted"]).isBeingDeleted)
        #expect(ACSUserState(acsUserID: "u", pendingMutations: ["deleting"]).isBeingDeleted)
        #expect(!ACSUserState(acsUserID: "u", warnings: ["salto_ks_user_not_subscribed"]).isBeingDeleted)
        #expect(CredentialState(acsCredentialID: "k", isSynced: true, warnings: ["being_deleted"]).isBeingDeleted)
        #expect(!CredentialState(acsCredentialID: "k", isSynced: true, warnings: ["waiting_to_be_issued"]).isBeingDeleted)
    }
}
