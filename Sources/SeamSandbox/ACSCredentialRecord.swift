import Foundation

/// A stored ACS credential (a mobile key, for the Salto KS flow).
struct ACSCredentialRecord: Codable, Sendable {
    var acsCredentialId: String
    var acsUserId: String
    var acsSystemId: String
    var userIdentityId: String?
    var accessMethod: String
    var isMultiPhoneSyncCredential: Bool
    var code: String?
    var startsAt: Date?
    var endsAt: Date?
    var createdAt: Date
    var sequence: Int
}
