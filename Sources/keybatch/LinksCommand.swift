import ArgumentParser
import Foundation
import KeyBatch
import Logging

/// `keybatch links`: instant-key links for the rows of a results file that lack one.
struct LinksCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "Copy a provision results file, with an instant key link for every guest holding a key whose rows have none.",
        discussion: """
            Reads SEAM_API_KEY (or --api-key-file), SEAM_ENDPOINT and SEAM_WORKSPACE_ID from the environment.
            Rows provisioned, unchanged, updated or deferred, with a user_identity_id and an acs_credential_id and an empty \
            instant_key_url, get one link per guest (user identity), shared by the guest's rows; the file is written 0600.
            Exit status: 0 every such row got a link; 1 Seam refused some (or some lines did not read); 2 usage, file, \
            authentication or connection error; 130 interrupted.
            """
    )

    @Argument(help: "Results CSV written by keybatch provision, or - for standard input.")
    var results: String

    @Flag(help: "Also ask for rows that already have a link (a guest whose link expired or was used).")
    var all = false

    @Option(help: "Most link requests in flight at once (all under the --rate limiter).")
    var concurrency: Int = 128

    @OptionGroup var seam: SeamArguments
    @OptionGroup var output: OutputArguments
    @OptionGroup var logging: LoggingArguments

    func validate() throws {
        guard concurrency >= 1 && concurrency <= 256 else { throw ValidationError("--concurrency must be between 1 and 256") }
        _ = try output.requiredOut()
        // The same file as the input would be replaced while it is still being read.
        try output.checkNotOverwriting([results])
    }

    func run() async throws {
        let out = try output.requiredOut()
        let logger = Logger(label: "keybatch")
        let session: SeamSession
        do {
            session = try await SeamSession.open(seam, connections: concurrency, logger: logger)
        } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
        let stop = StopSignal()
        let trap = SignalTrap(stop: stop, logger: logger)
        defer { trap.release() }
        let report: LinksRun.Report
        do {
            report = try await LinksRun(inputPath: results, outputPath: out, all: all, concurrency: concurrency, format: output.format,
                                        operations: session.operations, stop: stop, logger: logger).run()
        } catch {
            await session.close()
            logger.fileErrors(error)
            throw ExitCode(2)
        }
        let stats = await session.close()
        SummaryPrinter(logging).printLinks(report, input: results, output: out, stats: stats, endpoint: session.configuration.endpoint)
        let code = Self.exitCode(for: report)
        if code != 0 { throw ExitCode(code) }
    }

    static func exitCode(for report: LinksRun.Report) -> Int32 {
        switch report.outcome {
        case .unauthorized, .unreachable, .aborted: return 2
        case .interrupted: return 130
        case .completed: return report.links.refused + report.unreadable > 0 ? 1 : 0
        }
    }
}
