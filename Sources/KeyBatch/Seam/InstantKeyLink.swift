/// An instant key as KeyBatch uses it: the link to hand the guest, and until when Seam says it
/// works.
public struct InstantKeyLink: Sendable, Equatable {
    public var url: String
    /// As Seam sent it (ISO 8601); nil when Seam did not say.
    public var expiresAt: String?

    public init(url: String, expiresAt: String? = nil) {
        self.url = url
        self.expiresAt = expiresAt
    }
}
