import Foundation

/// A stored user identity: the person behind one or more ACS users.
struct UserIdentityRecord: Codable, Sendable {
    var userIdentityID: String
    var userIdentityKey: String?
    var emailAddress: String?
    var phoneNumber: String?
    var fullName: String?
    var acsSystemIDs: [String]
    var createdAt: Date
    /// Insertion order; list endpoints page by it so a cursor survives deletions.
    var sequence: Int
}
