import Foundation

/// A stored access group; memberships live on the ACS user (`ACSUserRecord.accessGroupIds`).
struct AccessGroupRecord: Codable, Sendable {
    var acsAccessGroupId: String
    var acsSystemId: String
    var name: String
    var externalType: String
    var createdAt: Date
    var sequence: Int
}
