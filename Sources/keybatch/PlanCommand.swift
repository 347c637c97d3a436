import ArgumentParser
import Foundation
import KeyBatch
import Logging

/// `keybatch plan`: what `provision` would do, without calling Seam or writing the state file.
struct PlanCommand: ParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what provision would do with the same arguments, without calling Seam or writing the state.",
        discussion: "Exit status: 0 nothing invalid, 1 some rows invalid, 2 usage or file errors, 3 --sync would exceed --max-revocations."
    )

    @OptionGroup var input: InputArguments
    @OptionGroup var provisioning: ProvisioningArguments
    @OptionGroup var seam: SeamArguments

    @OptionGroup var output: OutputArguments
    @OptionGroup var logging: LoggingArguments

    func validate() throws {
        try output.checkNotOverwriting([input.reservations, input.listings, provisioning.statePath(resultsPath: output.out)])
    }

    func run() throws {
        let logger = Logger(label: "keybatch")
        let report: PlanRun.Report
        do {
            // The state file that provision would use, opened read-only (a missing one reads as empty).
            let state = try provisioning.statePath(resultsPath: output.out).map { try StateStore.openForReading(path: $0) }
            report = try PlanRun(input: try input.inputOptions(), resultsPath: output.out, options: provisioning.options, state: state,
                                 format: output.format).run(logger: logger)
        } catch {
            logger.fileErrors(error)
            throw ExitCode(2)
        }
        SummaryPrinter.printPlan(report, input: input.reservations, results: output.out)
        if report.syncBlocked != nil { throw ExitCode(3) }
        if report.summary.count(.invalid) > 0 { throw ExitCode(1) }
    }
}
