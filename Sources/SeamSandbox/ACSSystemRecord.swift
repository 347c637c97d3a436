import Foundation

/// A stored access control system (a Salto KS site in the default seed).
struct ACSSystemRecord: Codable, Sendable {
    var acsSystemId: String
    var name: String
    var externalType: String
    var timeZone: String?
    var createdAt: Date
    var sequence: Int
}
