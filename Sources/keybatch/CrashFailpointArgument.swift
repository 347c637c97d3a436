import KeyBatch

/// `KEYBATCH_FAILPOINT=kill-after-create:N`, read by the CLI only: the crash-safety tests set it
/// on a real `keybatch provision` process to kill it between a create and the record of its id.
/// Not a documented option; unset (or malformed), it changes nothing.
enum CrashFailpointArgument {
    static let environmentVariable = "KEYBATCH_FAILPOINT"
    private static let prefix = "kill-after-create:"

    /// How the run's journal is wrapped: unchanged unless the variable arms a failpoint.
    static func journalWrapper(environment: [String: String]) -> ProvisioningRun.JournalWrapper {
        guard let spec = environment[environmentVariable], spec.hasPrefix(prefix),
              let count = Int(spec.dropFirst(prefix.count)), count > 0 else { return { $0 } }
        return { CrashFailpoint(wrapping: $0, killAfterCreate: count) }
    }
}
