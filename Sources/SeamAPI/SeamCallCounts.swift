/// A snapshot of call counters, shared by the global ``SeamClientStats`` and the per-unit
/// ``SeamCallCounter``.
public struct SeamCallCounts: Sendable, Equatable {
    /// HTTP attempts sent (including retries and lookups).
    public var httpCalls = 0
    /// Attempts that were a retry of a failed attempt (or a create repeated after its lookup).
    public var retries = 0
    /// Responses with status 429.
    public var rateLimited = 0
    /// Lookups run after an ambiguous create failure.
    public var ambiguousLookups = 0

    public init(httpCalls: Int = 0, retries: Int = 0, rateLimited: Int = 0, ambiguousLookups: Int = 0) {
        self.httpCalls = httpCalls
        self.retries = retries
        self.rateLimited = rateLimited
        self.ambiguousLookups = ambiguousLookups
    }
}
