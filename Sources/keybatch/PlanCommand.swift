import ArgumentParser
import Foundation
import KeyBatch
import Logging

/// `keybatch plan`: what `provision` would do, without calling Seam or writing the state file.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what provision would do with the same arguments, without calling Seam or writing the state.",
        discussion: "Exit status: 0 nothing invalid, 1 some rows invalid, 2 usage or file errors, 3 --sync would exceed --max-revocations."
    )

    @OptionGroup var input: InputArguments
    @OptionGroup var provisioning: ProvisioningArguments
    @OptionGroup var seam: SeamArguments

    @Option(name: .long, help: "Plan CSV to write (- for standard output).")
    var out: String?

    @Flag(help: "End lines with \\n instead of \\r\\n.")
    var lf = false

    @Flag(help: "Write values exactly as read, without the ' that stops spreadsheets running formulas.")
    var rawCsv = false

    func run() throws {
        let logger = Logger(label: "keybatch")
        let report: PlanRun.Report
        do {
            // The state file that provision would use, opened read-only (a missing one reads as empty).
            let state = try provisioning.statePath(resultsPath: out).map { try StateStore.openForReading(path: $0) }
            report = try PlanRun(input: try input.inputOptions(), resultsPath: out, options: provisioning.options, state: state,
                                 neutraliseFormulas: !rawCsv, lineEnding: lf ? .lf : .crlf).run(logger: logger)
        } catch {
            ProvisionCommand.logFileErrors(error, logger: logger)
            throw ExitCode(2)
        }
        SummaryPrinter.printPlan(report, input: input.reservations, results: out)
        if report.syncBlocked != nil { throw ExitCode(3) }
        if report.summary.count(.invalid) > 0 { throw ExitCode(1) }
    }
}
