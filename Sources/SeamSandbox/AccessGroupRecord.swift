import Foundation

/// A stored access group; memberships live on the ACS user (`ACSUserRecord.accessGroupIDs`).
struct AccessGroupRecord: Codable, Sendable {
    var acsAccessGroupID: String
    var acsSystemID: String
    var name: String
    var externalType: String
    var createdAt: Date
    var sequence: Int
}
