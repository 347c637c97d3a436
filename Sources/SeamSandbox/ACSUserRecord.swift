import Foundation

/// A stored ACS user. Its group memberships are kept here so deleting the user drops them with it.
///
/// The fields Seam shows (schedule, memberships, name) hold what the client last asked for; what
/// the site has not taken yet is in `pendingMutations`, and what it refused in `errors`.
struct ACSUserRecord: Codable, Sendable {
    /// When the user may enter; a Salto KS user is "unsubscribed" outside it.
    struct AccessSchedule: Codable, Sendable, Equatable {
        var startsAt: Date
        var endsAt: Date?
    }

    /// The fields `updating_user_information` reports, before or after an update.
    struct UserInformation: Codable, Sendable, Equatable {
        var fullName: String
        var emailAddress: String?
        var phoneNumber: String?
    }

    var acsUserID: String
    var acsSystemID: String
    var fullName: String
    var emailAddress: String?
    var phoneNumber: String?
    var userIdentityID: String?
    var accessSchedule: AccessSchedule?
    var accessGroupIDs: [String]
    var createdAt: Date
    var sequence: Int
    /// Changes Seam has accepted and the site has not settled yet, oldest first.
    var pendingMutations: [PendingMutation] = []
    /// What the site refused (or staff set), at most one per code.
    var errors: [ACSUserError] = []
    /// When the site created the user; nil while the creation is pending or after it failed. Only
    /// users on the site hold a Salto KS subscription slot and can have credentials issued.
    var onSiteSince: Date?
    /// When the site last took a change for this user (Seam's `last_successful_sync_at`).
    var lastSuccessfulSyncAt: Date?

    var userInformation: UserInformation {
        get { UserInformation(fullName: fullName, emailAddress: emailAddress, phoneNumber: phoneNumber) }
        set {
            fullName = newValue.fullName
            emailAddress = newValue.emailAddress
            phoneNumber = newValue.phoneNumber
        }
    }

    /// The pending deletion, if `acs/users/delete` was accepted and has not settled.
    var pendingDeletion: PendingMutation? {
        pendingMutations.first { $0.change == .deletion }
    }

    var isCreationPending: Bool {
        pendingMutations.contains { $0.change == .creation }
    }

    /// Folds a new change into the unsettled ones and returns what still has to go to the site,
    /// or nil when nothing does.
    ///
    /// A change replaces an unsettled one of the same kind (the site gets the latest wish, and
    /// `from` stays what the site has); one that brings the user back to what the site has cancels
    /// it (a membership is yes/no, so a second change of the same group always does). A deletion
    /// cancels an unsettled creation; a second deletion while one is pending is a no-op.
    mutating func merge(_ change: PendingMutation.Change) -> PendingMutation.Change? {
        switch change {
        case .creation:
            return change
        case .deletion:
            guard pendingDeletion == nil else { return nil }
            pendingMutations.removeAll { $0.change == .creation }
            return change
        case .accessSchedule(_, let wanted):
            guard let index = pendingMutations.firstIndex(where: \.change.isAccessScheduleUpdate),
                  case .accessSchedule(let siteHas, _) = pendingMutations.remove(at: index).change
            else { return change }
            return siteHas == wanted ? nil : .accessSchedule(from: siteHas, to: wanted)
        case .groupMembership(let groupID, _):
            guard let index = pendingMutations.firstIndex(where: { $0.change.concernsGroup(groupID) }) else { return change }
            pendingMutations.remove(at: index)
            return nil
        case .userInformation(_, let wanted):
            guard let index = pendingMutations.firstIndex(where: \.change.isUserInformationUpdate),
                  case .userInformation(let siteHas, _) = pendingMutations.remove(at: index).change
            else { return change }
            return siteHas == wanted ? nil : .userInformation(from: siteHas, to: wanted)
        }
    }

    func hasError(_ code: ACSUserErrorCode) -> Bool {
        errors.contains { $0.code == code }
    }

    /// Adds an error, replacing an older one with the same code (Seam shows each code once).
    mutating func record(_ code: ACSUserErrorCode, message: String? = nil, at date: Date) {
        errors.removeAll { $0.code == code }
        errors.append(ACSUserError(code: code, message: message ?? code.defaultMessage, createdAt: date))
    }

    mutating func clearError(_ code: ACSUserErrorCode) {
        errors.removeAll { $0.code == code }
    }
}
