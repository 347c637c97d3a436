import Foundation

/// A stored ACS credential (a mobile key, for the Salto KS flow).
///
/// A credential is issued on the site only once its ACS user is there: until then Seam shows it
/// unsynced with a `waiting_to_be_issued` warning (`syncedWithProviderAt` nil). `syncDueAt` is
/// when the sandbox next looks at it; nil with no sync time means the site will never issue it
/// (its user was refused).
struct ACSCredentialRecord: Codable, Sendable {
    var acsCredentialID: String
    var acsUserID: String
    var acsSystemID: String
    var userIdentityID: String?
    var accessMethod: String
    var isMultiPhoneSyncCredential: Bool
    var code: String?
    var startsAt: Date?
    var endsAt: Date?
    var createdAt: Date
    var sequence: Int
    var syncedWithProviderAt: Date?
    var syncDueAt: Date?
    /// Set while an accepted `acs/credentials/delete` waits for the deletion delay.
    var deletionRequestedAt: Date?
    var deletionDueAt: Date?
}
