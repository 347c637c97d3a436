import ArgumentParser
import KeyBatch

/// The arguments `provision` and `plan` share, so that `plan` shows exactly what the same
/// `provision` command line would do.
struct ProvisioningArguments: ParsableArguments {
    @Option(help: "SQLite state file of earlier runs (default: keybatch-state.sqlite beside the results file).")
    var state: String?

    @Flag(help: "Run without a state file: every row is looked up in Seam by its natural keys.")
    var noState = false

    @Flag(help: "The file is the full list of current reservations: revoke reservations the state has and the file lacks.")
    var sync = false

    @Option(help: "Most revocations --sync may make in one run (default: 10% of the reservations in the state).")
    var maxRevocations: Int?

    @Flag(help: "Delete the ACS users of stays whose check-out has passed.")
    var cleanupExpired = false

    @Flag(help: "Before trusting the state, read what Seam holds (in bulk, per ACS system) and mend every drift made behind KeyBatch's back; plan shows the repairs.")
    var verify = false

    @Option(help: "Most rows in flight at once. Below it the window follows Seam's pace (about --rate × seconds per call), so a slow Seam is kept busy without tuning.")
    var concurrency: Int = 128

    @Option(help: "Stop sending rows once more than N rows (or N% of finished rows) have failed.")
    var maxFailures: String?

    @Option(help: "Seconds that rows in flight get to finish after Ctrl-C or SIGTERM.")
    var drainTimeout: Int = 30

    @Option(help: "Seconds a row Seam accepted may wait for the Salto KS site to confirm it before it is written as pending (0: do not wait).")
    var confirmTimeout: Int = 60

    @Option(help: "Hours: a guest's stays on one site less than this apart (or overlapping) form one visit, which their one ACS user holds from the first check-in to the last check-out (so the key also works in the gap). A later visit waits (deferred) until the first run after the current one ends.")
    var joinGap: Double = 24

    func validate() throws {
        guard concurrency >= 1 && concurrency <= 256 else { throw ValidationError("--concurrency must be between 1 and 256") }
        if let maxFailures, FailureBudget(maxFailures) == nil {
            throw ValidationError("--max-failures takes a count (10) or a percentage (5%), got '\(maxFailures)'")
        }
        if let maxRevocations, maxRevocations < 0 { throw ValidationError("--max-revocations cannot be negative") }
        if noState && state != nil { throw ValidationError("--state and --no-state exclude each other") }
        if noState && verify { throw ValidationError("--verify compares Seam with the state file; with --no-state every row is looked up in Seam anyway") }
        if noState && sync { throw ValidationError("--sync needs the state file: it revokes what the state has and the file lacks") }
        guard drainTimeout >= 0 && drainTimeout <= 86_400 else { throw ValidationError("--drain-timeout must be between 0 and 86400 seconds") }
        guard confirmTimeout >= 0 && confirmTimeout <= 86_400 else { throw ValidationError("--confirm-timeout must be between 0 and 86400 seconds") }
        guard joinGap.isFinite, joinGap >= 0, joinGap <= 8_760 else { throw ValidationError("--join-gap must be between 0 and 8760 hours") }
    }

    var options: ProvisioningOptions {
        ProvisioningOptions(concurrency: concurrency, failureBudget: maxFailures.flatMap(FailureBudget.init),
                            drainDeadline: .seconds(drainTimeout), cleanupExpired: cleanupExpired, sync: sync,
                            maxRevocations: maxRevocations, confirmTimeout: .seconds(confirmTimeout), verify: verify,
                            adaptiveConcurrency: true, joinGap: .milliseconds(Int64((joinGap * 3_600_000).rounded())))
    }

    /// The state file's path, or nil with `--no-state`.
    func statePath(resultsPath: String?) -> String? {
        if noState { return nil }
        if let state { return state }
        guard let resultsPath, resultsPath != "-", let slash = resultsPath.lastIndex(of: "/") else { return "keybatch-state.sqlite" }
        return String(resultsPath[...slash]) + "keybatch-state.sqlite"
    }
}
