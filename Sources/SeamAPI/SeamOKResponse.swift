/// `{"ok": true}`, the whole answer of update, delete and group-membership calls.
public struct SeamOKResponse: Decodable, Sendable, Equatable {
    public var ok: Bool?

    public init(ok: Bool? = true) { self.ok = ok }
}
