import ArgumentParser
import Foundation
import KeyBatch
import Logging

/// `keybatch validate`: checks an export without calling Seam.
struct ValidateCommand: ParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a reservations export against the listings, without calling Seam.",
        discussion: "Exit status: 0 every row valid or expired, 1 some rows invalid, 2 usage or file errors."
    )

    @OptionGroup var input: InputArguments
    @OptionGroup var output: OutputArguments
    @OptionGroup var logging: LoggingArguments

    func validate() throws {
        try output.checkNotOverwriting([input.reservations, input.listings])
    }

    func run() throws {
        let logger = Logger(label: "keybatch")
        let summary: RunSummary
        do {
            summary = try ValidationRun.run(
                try input.inputOptions(), resultsPath: output.out, format: output.format, logger: logger
            )
        } catch {
            logger.fileErrors(error)
            throw ExitCode(2)
        }
        SummaryPrinter(logging).printValidation(summary, input: input.reservations, results: output.out)
        if summary.count(.invalid) > 0 { throw ExitCode(1) }
    }
}
