import Foundation

/// One entry of `acs_user.errors`: `{error_code, message, created_at}` as Seam's spec shapes it.
struct ACSUserError: Codable, Sendable, Equatable {
    var code: ACSUserErrorCode
    var message: String
    var createdAt: Date
}
