/// `{"ok": true, "<singleKey>": {...}}`; other top-level fields are ignored.
public struct SeamSingleResponse<Resource: SeamResource>: Decodable, Sendable {
    public var resource: Resource

    public init(resource: Resource) { self.resource = resource }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        resource = try container.decode(Resource.self, forKey: AnyCodingKey(Resource.singleKey))
    }
}
