import ArgumentParser
import Foundation
import KeyBatch
import Logging
import SeamAPI
import SeamSandbox

/// `keybatch export`: Seam's side as a CSV, with drift against the state file.
struct ExportCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write what Seam holds on the listings' ACS systems as a CSV, and its drift from the state file.",
        discussion: """
            Reads SEAM_API_KEY (or --api-key-file), SEAM_ENDPOINT and SEAM_WORKSPACE_ID from the environment.
            Exit status: 0 no drift (or only unknown_to_state); 1 drift found; 2 usage, file, state-lock, authentication \
            or connection error.
            """
    )

    @Option(help: "Listings CSV: listing_id, acs_system_id, acs_access_group_id (one row per access group).")
    var listings: String

    @Option(name: [.customLong("listings-delimiter"), .customLong("delimiter")],
            help: "Field delimiter of the listings file: one character, or 'tab' (default: detected from its header line).")
    var listingsDelimiter: String?

    @Option(name: .customLong("acs-system-id"), help: "Export this ACS system only (repeatable; default: every system of the listings).")
    var acsSystemIDs: [String] = []

    @Option(help: "State file to compare with (adds the drift column and missing_in_seam rows).")
    var state: String?

    @Flag(help: "Write the state file's view in the same shape, without calling Seam (needs --state).")
    var fromState = false

    @OptionGroup var seam: SeamArguments
    @OptionGroup var output: OutputArguments
    @OptionGroup var logging: LoggingArguments

    func validate() throws {
        _ = try output.requiredOut()
        _ = try InputArguments.delimiting(listingsDelimiter, flag: "--listings-delimiter")
        if fromState && state == nil { throw ValidationError("--from-state needs --state") }
        if let state, !FileManager.default.fileExists(atPath: state) { throw ValidationError("no state file at \(state)") }
        try output.checkNotOverwriting([listings], state: state)
    }

    func run() async throws {
        let out = try output.requiredOut()
        let logger = Logger(label: "keybatch")
        let run: ExportRun
        do {
            let catalog = try ListingCatalog.load(path: listings, delimiter: InputArguments.delimiting(listingsDelimiter, flag: "--listings-delimiter"))
            let store = try state.map { try StateStore.open(path: $0, runDescription: "keybatch export") }
            run = ExportRun(catalog: catalog, acsSystemIDs: acsSystemIDs, state: store, resultsPath: out, format: output.format)
        } catch {
            logger.fileErrors(error)
            throw ExitCode(2)
        }
        if fromState {
            do {
                let report = try run.runFromState()
                SummaryPrinter(logging).printExport(report, results: out, stats: nil)
                return
            } catch {
                logger.fileErrors(error)
                throw ExitCode(2)
            }
        }
        // The sweep reads one page at a time.
        let session: SeamSession
        do {
            session = try await SeamSession.open(seam, connections: 2, logger: logger)
        } catch {
            logger.error("\(error)")
            throw ExitCode(2)
        }
        let report: ExportRun.Report
        do {
            report = try await run.run(operations: session.operations)
        } catch {
            let stats = await session.close()
            // Nothing is written: an export missing a system would read as drift that is not there.
            logger.error("export failed, no file written: \(error) (\(stats.httpCalls) HTTP calls to \(session.configuration.endpoint))")
            throw ExitCode(2)
        }
        let stats = await session.close()
        SummaryPrinter(logging).printExport(report, results: out, stats: stats)
        if report.hasAlarm { throw ExitCode(1) }
    }
}
