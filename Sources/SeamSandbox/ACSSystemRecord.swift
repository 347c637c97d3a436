import Foundation

/// A stored access control system (a Salto KS site in the default seed).
struct ACSSystemRecord: Codable, Sendable {
    var acsSystemID: String
    var name: String
    var externalType: String
    var timeZone: String?
    var createdAt: Date
    var sequence: Int
    /// Salto KS subscription slots of the site; nil: unlimited.
    var subscriptionSlots: Int?
    /// Errors and warnings put on the system through the test controls: code → since when.
    var injectedErrors: [String: Date] = [:]
    var injectedWarnings: [String: Date] = [:]
    /// The site refuses instant keys (a test control; see `SandboxControls.setInstantKeysRefused`).
    var refusesInstantKeys: Bool?
}
