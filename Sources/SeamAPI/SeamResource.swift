/// A Seam object returned under a fixed key (`acs_user`) by `get`/`create` and under a plural key
/// (`acs_users`) by `list`. Lets one generic envelope decode every endpoint's response.
public protocol SeamResource: Decodable, Sendable {
    /// Key of the single object in `get`/`create` responses.
    static var singleKey: String { get }
    /// Key of the array in `list` responses.
    static var listKey: String { get }
}
