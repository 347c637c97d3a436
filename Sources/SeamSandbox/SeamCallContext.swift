import Foundation

/// What a Seam handler needs to know about the call besides its parameters.
struct SeamCallContext: Sendable {
    /// The sandbox clock's current time (may be offset or frozen by the test controls).
    var now: Date
    /// `http://host:port` as the client addressed the server; used for `next_page_url`.
    var baseURL: String
    /// The endpoint path, e.g. `/acs/users/list`.
    var path: String
    /// How the site behind Seam takes changes for this workspace (delays, refusals).
    var provider: ProviderBehavior = .synchronous
    /// Largest page a list endpoint serves, whatever `limit` asks; nil: no cap.
    var maxPageSize: Int?
    /// What `acs/users/create` does with a second ACS user for an identity on one system.
    var identityLinkRule: IdentityLinkRule = .default
    /// Uniform numbers in `0..<1` for the refusal probabilities; tests of handlers may pin it.
    var random: @Sendable () -> Double = { Double.random(in: 0..<1) }
}
