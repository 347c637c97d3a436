import Foundation

/// A change Seam accepted for an ACS user and has not yet pushed to the site: one entry of
/// `acs_user.pending_mutations` until `settlesAt`, when it becomes part of the user (or, when
/// `isRefused`, an entry of `acs_user.errors` and a rollback).
struct PendingMutation: Codable, Sendable, Equatable {
    enum Change: Codable, Sendable, Equatable {
        /// `creating`.
        case creation
        /// `deleting`.
        case deletion
        /// `updating_access_schedule`: `from` is what the site has, `to` what Seam will push.
        case accessSchedule(from: ACSUserRecord.AccessSchedule?, to: ACSUserRecord.AccessSchedule?)
        /// `updating_group_membership`: adding renders as `from {null} → to {group}`, removing as
        /// `from {group} → to {null}` (the spec's nullable `acs_access_group_id` on each side).
        case groupMembership(acsAccessGroupID: String, isAdding: Bool)
        /// `updating_user_information`: only the fields that change are rendered.
        case userInformation(from: ACSUserRecord.UserInformation, to: ACSUserRecord.UserInformation)
    }

    var change: Change
    var createdAt: Date
    var settlesAt: Date
    /// The site's answer, drawn when Seam accepted the request (`RefusalRule`, or
    /// `IdentityLinkRule.refuseOnSite`).
    var isRefused: Bool
    /// Settlement order among changes due at the same instant (the workspace's event counter).
    var order: Int
    /// Why the site refuses, when it is not the error code's usual message (the `errors[]` entry's
    /// `message`).
    var refusalMessage: String?

    /// The refusal kind this change is judged under.
    var operation: RefusalRule.Operation {
        switch change {
        case .creation: .create
        case .deletion: .delete
        case .accessSchedule, .groupMembership, .userInformation: .update
        }
    }

    var mutationCode: String {
        switch change {
        case .creation: "creating"
        case .deletion: "deleting"
        case .accessSchedule: "updating_access_schedule"
        case .groupMembership: "updating_group_membership"
        case .userInformation: "updating_user_information"
        }
    }
}

extension PendingMutation.Change {
    /// Whether this is a membership change of `groupID`.
    func concernsGroup(_ groupID: String) -> Bool {
        if case .groupMembership(let id, _) = self { return id == groupID }
        return false
    }

    var isAccessScheduleUpdate: Bool {
        if case .accessSchedule = self { return true }
        return false
    }

    var isUserInformationUpdate: Bool {
        if case .userInformation = self { return true }
        return false
    }
}
