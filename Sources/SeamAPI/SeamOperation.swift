/// What a call does to Seam's state, which decides how it may be retried.
public enum SeamOperation: Sendable, Equatable {
    /// get/list: retried freely.
    case read
    /// create: not idempotent; retried only through ``SeamClient/createIdempotently(endpoint:create:lookup:)``.
    case create
    /// update/add/remove: setting the same state twice is harmless, so retried freely.
    case update
    /// delete: retried freely; a 404 after an ambiguous attempt counts as success.
    case delete
}
