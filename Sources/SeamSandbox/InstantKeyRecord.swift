import Foundation

/// A generated instant key (`/user_identities/generate_instant_key`): a shareable link to a
/// mobile key for one user identity.
struct InstantKeyRecord: Codable, Sendable {
    var instantKeyID: String
    var userIdentityID: String
    var clientSessionID: String
    var customizationProfileID: String?
    var maxUseCount: Double
    var instantKeyUrl: String
    var createdAt: Date
    var expiresAt: Date
}
