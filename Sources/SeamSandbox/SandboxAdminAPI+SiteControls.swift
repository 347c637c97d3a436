import Foundation

/// `/_sandbox/provider`, `/_sandbox/acs_system`, `/_sandbox/max_page_size`,
/// `/_sandbox/identity_link_rule`: how Seam and the site behind it behave, over HTTP (the Swift
/// side is `SandboxControls`).
extension SandboxAdminAPI {
    /// The reply for a site control, or nil when `path` is not one.
    func handleSiteControls(path: String, isGET: Bool, input: inout SeamRequestInput) throws(SandboxErrorReply) -> SandboxHTTPReply? {
        switch (path, isGET) {
        case ("/_sandbox/provider", true):
            let workspaceID = input.string("workspace_id").value
            try input.throwIfInvalid()
            return ok(["provider": Self.json(controls.providerBehavior(workspaceID: workspaceID))])
        case ("/_sandbox/provider", false):
            let workspaceID = input.string("workspace_id").value
            let behavior = Self.readProviderBehavior(&input)
            try input.throwIfInvalid()
            controls.setProviderBehavior(behavior, workspaceID: workspaceID)
            return ok(["provider": Self.json(controls.providerBehavior(workspaceID: workspaceID))])
        case ("/_sandbox/acs_system", false):
            let systemID = input.uuid("acs_system_id", required: true)
            var slots: FieldPresence<Int> = .absent
            if input.isNull("subscription_slots") {
                slots = .null
            } else if let value = input.integer("subscription_slots", minimum: 0, maximum: SandboxControls.maximumSubscriptionSlots) {
                slots = .value(value)
            }
            let errors = Self.readCodes("errors", as: ACSSystemErrorCode.self, from: &input)
            let warnings = Self.readCodes("warnings", as: ACSSystemWarningCode.self, from: &input)
            let refusesInstantKeys = input.bool("instant_keys_refused")
            try input.throwIfInvalid()
            guard let systemID else { throw SandboxErrorReply.invalidInput(field: "acs_system_id", "Required") }
            try controls.updateACSSystem(systemID, slots: slots, errors: errors, warnings: warnings, refusesInstantKeys: refusesInstantKeys)
            return ok([:])
        case ("/_sandbox/max_page_size", true):
            return ok(["max_page_size": controls.maxPageSize.map { .number(Double($0)) } ?? .null])
        case ("/_sandbox/max_page_size", false):
            let size = input.isNull("max_page_size") ? nil : input.integer("max_page_size", minimum: 1, maximum: SandboxControls.maximumPageSize)
            try input.throwIfInvalid()
            controls.setMaxPageSize(size)
            return ok(["max_page_size": controls.maxPageSize.map { .number(Double($0)) } ?? .null])
        case ("/_sandbox/identity_link_rule", true):
            let workspaceID = input.string("workspace_id").value
            try input.throwIfInvalid()
            return ok(["identity_link_rule": .string(controls.identityLinkRule(workspaceID: workspaceID).rawValue)])
        case ("/_sandbox/identity_link_rule", false):
            let workspaceID = input.string("workspace_id").value
            let name = input.isNull("identity_link_rule")
                ? nil : input.enumValue("identity_link_rule", allowed: IdentityLinkRule.allCases.map(\.rawValue))
            try input.throwIfInvalid()
            controls.setIdentityLinkRule(name.flatMap(IdentityLinkRule.init(rawValue:)), workspaceID: workspaceID)
            return ok(["identity_link_rule": .string(controls.identityLinkRule(workspaceID: workspaceID).rawValue)])
        default:
            return nil
        }
    }

    /// Reads `{sync_delay_seconds?, deletion_delay_seconds?, refusals?}`; nil when none is sent
    /// (which puts the setting back to its default).
    static func readProviderBehavior(_ input: inout SeamRequestInput) -> ProviderBehavior? {
        let sent = input.presentFields.subtracting(["workspace_id"])
        let syncDelay = input.number("sync_delay_seconds", integer: false, minimum: 0, maximum: ProviderBehavior.maximumDelay)
        let deletionDelay = input.number("deletion_delay_seconds", integer: false, minimum: 0, maximum: ProviderBehavior.maximumDelay)
        var refusals: [RefusalRule] = []
        for var ruleInput in input.objectArray("refusals") ?? [] {
            var operations: Set<RefusalRule.Operation> = [.create]
            if let names = ruleInput.stringArray("operations") {
                operations = []
                for (index, name) in names.enumerated() {
                    guard let operation = RefusalRule.Operation(rawValue: name) else {
                        ruleInput.fail("operations.\(index)", "Invalid enum value. Expected 'create' | 'update' | 'delete', received '\(name)'")
                        continue
                    }
                    operations.insert(operation)
                }
            }
            let probability = ruleInput.number("probability", integer: false, minimum: 0, maximum: 1) ?? 1
            let reservationIDs = ruleInput.stringArray("reservation_ids") ?? []
            let guestEmails = ruleInput.stringArray("guest_emails") ?? []
            input.absorb(ruleInput)
            refusals.append(RefusalRule(operations: operations, probability: probability, reservationIDs: Set(reservationIDs), guestEmails: Set(guestEmails)))
        }
        guard !sent.isEmpty else { return nil }
        return ProviderBehavior(syncDelay: syncDelay ?? 0, deletionDelay: deletionDelay ?? 0, refusals: refusals)
    }

    /// Reads an array of codes of `Code`; nil when the field is absent.
    static func readCodes<Code: RawRepresentable & CaseIterable>(_ field: String, as: Code.Type, from input: inout SeamRequestInput) -> Set<Code>? where Code.RawValue == String {
        guard let texts = input.stringArray(field) else { return nil }
        var codes = Set<Code>()
        for (index, text) in texts.enumerated() {
            guard let code = Code(rawValue: text) else {
                let expected = Code.allCases.map { "'\($0.rawValue)'" }.joined(separator: " | ")
                input.fail("\(field).\(index)", "Invalid enum value. Expected \(expected), received '\(text)'")
                continue
            }
            codes.insert(code)
        }
        return codes
    }

    static func json(_ value: some Encodable) -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(value)) ?? Data()
        return JSONValue.parse(data) ?? .null
    }
}
