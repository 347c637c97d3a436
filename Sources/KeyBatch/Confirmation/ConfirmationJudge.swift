/// Decides, from what Seam shows now, whether a row reached its goal. Pure: observations in,
/// verdict out, so every rule of "never report more than Seam has confirmed" is tested alone.
public enum ConfirmationJudge {
    /// - Parameters:
    ///   - user: the ACS user as Seam shows it; nil when Seam no longer has it.
    ///   - credential: the key as Seam shows it; nil when Seam no longer has it.
    public static func judge(_ expectation: Expectation, user: ACSUserState?, credential: CredentialState?) -> ConfirmationVerdict {
        switch expectation {
        case .absent:
            guard let user else { return .confirmed(warnings: []) }
            // A deletion in progress wins over the error an earlier refused one left behind
            // (whether Seam clears that error on a new delete is not documented).
            if !user.isBeingDeleted, let refusal = user.errors.first(where: { $0.code == "failed_to_delete_on_acs_system" }) {
                return .refused(refusal)
            }
            return .pending(reason: "the ACS user is still being deleted on the site")
        case .present:
            guard let user else {
                return .missing(SeamIssue(code: "acs_user_not_found", message: "the ACS user was deleted in Seam before the site confirmed it"))
            }
            if let error = user.errors.first { return .refused(error) }
            if user.isBeingDeleted {
                return .missing(SeamIssue(code: "acs_user_not_found", message: "the ACS user is being deleted in Seam"))
            }
            if !user.pendingMutations.isEmpty {
                return .pending(reason: "the ACS user is not yet on the site (\(user.pendingMutations.joined(separator: ", ")))")
            }
            guard let credential else {
                return .missing(SeamIssue(code: "acs_credential_not_found", message: "the mobile key was deleted in Seam before the site issued it"))
            }
            if let error = credential.errors.first { return .refused(error) }
            guard credential.isSynced else { return .pending(reason: "the mobile key is not yet issued on the site") }
            return .confirmed(warnings: orderedUnique(user.warnings + credential.warnings))
        }
    }

    private static func orderedUnique(_ codes: [String]) -> [String] {
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }
}
