import Foundation

/// A stored ACS user. Its group memberships are kept here so deleting the user drops them with it.
struct ACSUserRecord: Codable, Sendable {
    /// When the user may enter; a Salto KS user is "unsubscribed" outside it.
    struct AccessSchedule: Codable, Sendable, Equatable {
        var startsAt: Date
        var endsAt: Date?
    }

    var acsUserId: String
    var acsSystemId: String
    var fullName: String
    var emailAddress: String?
    var phoneNumber: String?
    var userIdentityId: String?
    var accessSchedule: AccessSchedule?
    var accessGroupIds: [String]
    var createdAt: Date
    var sequence: Int
}
