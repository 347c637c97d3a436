import ArgumentParser
import Foundation
import KeyBatch
import Logging

/// `keybatch plan`: what `provision` would do, without writing the state file (and, unless
/// `--verify`, without calling Seam).
struct PlanCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what provision would do with the same arguments, without writing the state (or calling Seam, unless --verify).",
        discussion: """
            Exit status: 0 nothing invalid, 1 some rows invalid, 2 usage, file, authentication or connection errors, \
            3 --sync would exceed --max-revocations.
            """
    )

    @OptionGroup var input: InputArguments
    @OptionGroup var provisioning: ProvisioningArguments
    @OptionGroup var seam: SeamArguments

    @OptionGroup var output: OutputArguments
    @OptionGroup var logging: LoggingArguments

    func validate() throws {
        try output.checkNotOverwriting([input.reservations, input.listings], state: provisioning.statePath(resultsPath: output.out))
    }

    func run() async throws {
        let logger = Logger(label: "keybatch")
        let report: PlanRun.Report
        // Only --verify reads Seam (one page at a time).
        var session: SeamSession?
        if provisioning.verify {
            do {
                session = try await SeamSession.open(seam, connections: 2, logger: logger)
            } catch {
                logger.error("\(error)")
                throw ExitCode(2)
            }
        }
        do {
            // The state file that provision would use, opened read-only (a missing one reads as empty).
            let state = try provisioning.statePath(resultsPath: output.out).map { try StateStore.openForReading(path: $0) }
            report = try await PlanRun(input: try input.inputOptions(), resultsPath: output.out, options: provisioning.options, state: state,
                                       format: output.format, operations: session?.operations).run(logger: logger)
        } catch {
            await session?.close()
            logger.fileErrors(error)
            throw ExitCode(2)
        }
        await session?.close()
        SummaryPrinter(logging).printPlan(report, input: input.reservations, results: output.out)
        if report.syncBlocked != nil { throw ExitCode(3) }
        if report.summary.count(.invalid) > 0 { throw ExitCode(1) }
    }
}
