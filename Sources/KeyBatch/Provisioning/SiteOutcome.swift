/// What a guest-site's work left in Seam, for its rows and the confirmation queue.
public struct SiteOutcome: Sendable, Hashable {
    /// The ids for the results (for a removal: what was deleted).
    public var keys: ProvisionedKeys
    /// What Seam should show once the Salto KS site has applied it; nil when nothing was sent.
    public var expectation: Expectation?
    /// Not finished this run, without a failure (a refused or old user whose deletion the site has
    /// not confirmed before the new one can be made): the rows are `pending`, with this message.
    public var waiting: String?
    /// A removal found nothing to delete: the rows it ends are `unchanged`.
    public var foundNothing = false
    /// Seam's warnings on the user and its key, when the run's own listing confirmed them (no
    /// confirmation round, which would otherwise report them).
    public var warnings: [String] = []

    public init(keys: ProvisionedKeys, expectation: Expectation? = nil, waiting: String? = nil, foundNothing: Bool = false) {
        self.keys = keys
        self.expectation = expectation
        self.waiting = waiting
        self.foundNothing = foundNothing
    }
}
