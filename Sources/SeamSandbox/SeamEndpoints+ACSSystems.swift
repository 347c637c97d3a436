import Foundation

/// `/acs/systems/*` (read-only: systems come from the seed).
extension SeamEndpoints {
    static func getACSSystem(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let id = input.uuid("acs_system_id", required: true)
        try input.throwIfInvalid()
        guard let id, let system = workspace.acsSystems[id] else { throw SandboxErrorReply.notFound("acs_system", id: id ?? "") }
        return ok("acs_system", SeamResourceRenderer.acsSystem(system, in: workspace))
    }

    static func listACSSystems(_ workspace: inout WorkspaceData, _ input: inout SeamRequestInput, _ context: SeamCallContext) throws(SandboxErrorReply) -> JSONValue {
        let connectedAccountID = input.uuid("connected_account_id")
        _ = input.string("customer_key", minLength: 1)
        let search = input.string("search", minLength: 1).value
        try input.throwIfInvalid()
        let systems = workspace.acsSystems.values
            .filter { _ in connectedAccountID == nil || connectedAccountID == workspace.connectedAccountID }
            .filter { system in search.map { matches($0, system.name, system.acsSystemID) } ?? true }
            .sorted { $0.sequence < $1.sequence }
        return ok("acs_systems", .array(systems.map { SeamResourceRenderer.acsSystem($0, in: workspace) }))
    }
}
