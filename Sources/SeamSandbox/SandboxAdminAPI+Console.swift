import Foundation

/// `/_sandbox/console/...`: `SandboxConsole` over HTTP, with Seam-like paths and bodies.
extension SandboxAdminAPI {
    /// The reply for a console action, or nil when `path` is not one.
    func handleConsole(path: String, isGET: Bool, input: inout SeamRequestInput) throws(SandboxErrorReply) -> SandboxHTTPReply? {
        guard !isGET, path.hasPrefix("/_sandbox/console/") else { return nil }
        let console = controls.console
        switch path {
        case "/_sandbox/console/acs_users/delete":
            let userID = try requiredUUID("acs_user_id", in: &input)
            try console.deleteACSUser(userID)
        case "/_sandbox/console/acs_credentials/delete":
            let credentialID = try requiredUUID("acs_credential_id", in: &input)
            try console.deleteCredential(credentialID)
        case "/_sandbox/console/acs_users/set_access_schedule":
            let userID = input.uuid("acs_user_id", required: true)
            switch input.object("access_schedule", nullable: true) {
            case .absent:
                input.fail("access_schedule", "Required")
                try input.throwIfInvalid()
            case .null:
                try input.throwIfInvalid()
                try console.removeAccessSchedule(acsUserID: userID ?? "")
            case .value(var scheduleInput):
                let startsAt = scheduleInput.date("starts_at", required: true).value
                let endsAt = scheduleInput.date("ends_at", nullable: true).value
                input.absorb(scheduleInput)
                try input.throwIfInvalid()
                guard let userID, let startsAt else { throw SandboxErrorReply.invalidInput(field: "access_schedule.starts_at", "Required") }
                try console.setAccessSchedule(startsAt: startsAt, endsAt: endsAt, acsUserID: userID)
            }
        case "/_sandbox/console/acs_users/remove_from_access_group":
            let userID = input.uuid("acs_user_id", required: true)
            let groupID = input.uuid("acs_access_group_id", required: true)
            try input.throwIfInvalid()
            try console.removeFromAccessGroup(acsUserID: userID ?? "", acsAccessGroupID: groupID ?? "")
        case "/_sandbox/console/acs_users/add_to_access_group":
            let userID = input.uuid("acs_user_id", required: true)
            let groupID = input.uuid("acs_access_group_id", required: true)
            try input.throwIfInvalid()
            try console.addToAccessGroup(acsUserID: userID ?? "", acsAccessGroupID: groupID ?? "")
        case "/_sandbox/console/acs_users/add_error":
            let userID = input.uuid("acs_user_id", required: true)
            let code = input.enumValue("error_code", allowed: ACSUserErrorCode.allCases.map(\.rawValue), required: true)
            let message = input.string("message", minLength: 1).value
            try input.throwIfInvalid()
            guard let userID, let errorCode = code.flatMap(ACSUserErrorCode.init(rawValue:)) else {
                throw SandboxErrorReply.invalidInput(field: "error_code", "Required")
            }
            try console.addError(errorCode, message: message, acsUserID: userID)
        default:
            return nil
        }
        return ok([:])
    }

    private func requiredUUID(_ name: String, in input: inout SeamRequestInput) throws(SandboxErrorReply) -> String {
        let value = input.uuid(name, required: true)
        try input.throwIfInvalid()
        return value ?? ""
    }
}
