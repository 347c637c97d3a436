import Foundation

/// What a Seam handler needs to know about the call besides its parameters.
struct SeamCallContext: Sendable {
    /// The sandbox clock's current time (may be offset or frozen by the test controls).
    var now: Date
    /// `http://host:port` as the client addressed the server; used for `next_page_url`.
    var baseURL: String
    /// The endpoint path, e.g. `/acs/users/list`.
    var path: String
}
