import Foundation

/// The Seam endpoints the sandbox serves, each a pure function of one workspace's data and the
/// request parameters. No I/O happens here: the responder parses, authenticates and locks; a handler
/// only decides and mutates, which keeps every Seam rule unit-testable.
enum SeamEndpoints {
    typealias Handler = @Sendable (inout WorkspaceData, inout SeamRequestInput, SeamCallContext) throws(SandboxErrorReply) -> JSONValue

    struct Route: Sendable {
        /// True where the spec also declares a GET form (parameters in the query string).
        var allowsGET: Bool
        var handler: Handler
    }

    static let routes: [String: Route] = [
        "/user_identities/create": Route(allowsGET: false, handler: createUserIdentity),
        "/user_identities/get": Route(allowsGET: true, handler: getUserIdentity),
        "/user_identities/list": Route(allowsGET: true, handler: listUserIdentities),
        "/user_identities/update": Route(allowsGET: false, handler: updateUserIdentity),
        "/user_identities/delete": Route(allowsGET: false, handler: deleteUserIdentity),
        "/user_identities/generate_instant_key": Route(allowsGET: false, handler: generateInstantKey),
        "/acs/users/create": Route(allowsGET: false, handler: createACSUser),
        "/acs/users/get": Route(allowsGET: true, handler: getACSUser),
        "/acs/users/list": Route(allowsGET: true, handler: listACSUsers),
        "/acs/users/update": Route(allowsGET: false, handler: updateACSUser),
        "/acs/users/delete": Route(allowsGET: false, handler: deleteACSUser),
        "/acs/users/add_to_access_group": Route(allowsGET: false, handler: addToAccessGroup),
        "/acs/users/remove_from_access_group": Route(allowsGET: false, handler: removeFromAccessGroup),
        "/acs/credentials/create": Route(allowsGET: false, handler: createCredential),
        "/acs/credentials/get": Route(allowsGET: true, handler: getCredential),
        "/acs/credentials/list": Route(allowsGET: true, handler: listCredentials),
        "/acs/credentials/delete": Route(allowsGET: false, handler: deleteCredential),
        "/acs/systems/get": Route(allowsGET: true, handler: getACSSystem),
        "/acs/systems/list": Route(allowsGET: true, handler: listACSSystems),
        "/acs/access_groups/get": Route(allowsGET: true, handler: getAccessGroup),
        "/acs/access_groups/list": Route(allowsGET: true, handler: listAccessGroups),
        "/acs/access_groups/list_users": Route(allowsGET: true, handler: listAccessGroupUsers),
    ]

    static let okOnly: JSONValue = .object(["ok": .bool(true)])

    static func ok(_ key: String, _ value: JSONValue) -> JSONValue {
        .object(["ok": .bool(true), key: value])
    }

    static func newID() -> String {
        UUID().uuidString.lowercased()
    }

    /// Case-insensitive substring match used by every `search` parameter.
    static func matches(_ search: String, _ candidates: String?...) -> Bool {
        candidates.contains { $0?.localizedCaseInsensitiveContains(search) ?? false }
    }

    /// Checks `ends_at` against `starts_at` and the clock, as Seam does for access schedules.
    static func checkWindow(startsAt: Date?, endsAt: Date?, now: Date, endsAtField: String, input: inout SeamRequestInput) {
        guard let endsAt else { return }
        if let startsAt, endsAt <= startsAt {
            input.fail(endsAtField, "ends_at must be after starts_at")
        } else if endsAt <= now {
            input.fail(endsAtField, "ends_at must be in the future")
        }
    }

}
