import ArgumentParser
import Foundation
import KeyBatch
import Logging
import SeamAPI
import SeamSandbox

/// `keybatch provision`: makes Seam match the reservations file.
struct ProvisionCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Create (or update, or revoke) a Salto KS mobile key in Seam for every reservation.",
        discussion: """
            Reads SEAM_API_KEY (or --api-key-file), SEAM_ENDPOINT and SEAM_WORKSPACE_ID from the environment.
            Exit status: 0 every row provisioned, unchanged, updated, deferred, revoked or expired; 1 some rows invalid or failed;
            2 usage, configuration or authentication error; 3 aborted (--max-failures, --max-revocations); 130 interrupted.
            """
    )

    @OptionGroup var input: InputArguments
    @OptionGroup var provisioning: ProvisioningArguments
    @OptionGroup var seam: SeamArguments

    @Flag(help: "Also get each reservation provisioned in this run an instant key (a link that opens the guest's mobile key) in the results columns instant_key_url and instant_key_expires_at; the results file is then always mode 0600.")
    var instantKeys = false

    @OptionGroup var output: OutputArguments
    @OptionGroup var reporting: ReportingArguments
    @OptionGroup var logging: LoggingArguments

    func validate() throws {
        if instantKeys, provisioning.noState {
            // Without the state every row found in Seam is `provisioned` again: every guest would
            // get a new link every night.
            throw ValidationError("--instant-keys needs the state file: with --no-state every run would send every guest a new link")
        }
        let out = try output.requiredOut()
        try output.checkNotOverwriting([input.reservations, input.listings], state: provisioning.statePath(resultsPath: out),
                                       reports: [("--json-summary", reporting.jsonSummary), ("--metrics-file", reporting.metricsFile)])
    }

    func run() async throws {
        let out = try output.requiredOut()
        let logger = Logger(label: "keybatch")
        let started = Date()
        let statePath = seam.sandbox && provisioning.state == nil ? nil : provisioning.statePath(resultsPath: out)
        /// A run stopped by a configuration, file, lock or state-file error (before its rows, or,
        /// for a results or state file that fails at the end, after them): exit 2, and the
        /// reports say why and how many calls were made.
        func stopped(_ error: any Error, calls: SeamCallCounts = SeamCallCounts()) -> ExitCode {
            let finished = Date()
            let figures = RunFigures(command: "provision", outcome: "error", exitCode: 2, started: started, finished: finished,
                                     input: input.reservations, inputSHA256: nil, resultsFile: nil, stateFile: statePath,
                                     summary: RunSummary(), calls: calls, error: "\(error)")
            reporting.write(figures, finished: finished, logger: logger)
            return ExitCode(2)
        }

        let session: SeamSession
        do {
            // A connection per row in flight, and the confirmation round's.
            session = try await SeamSession.open(seam, connections: provisioning.concurrency + 2, logger: logger)
        } catch {
            logger.error("\(error)")
            throw stopped(error)
        }
        let configuration = session.configuration
        let stop = StopSignal()
        let trap = SignalTrap(stop: stop, logger: logger)
        defer { trap.release() }

        let report: ProvisioningReport
        do {
            // The in-process sandbox forgets everything when this process ends, so by default a
            // sandbox run keeps no state file either (one would claim keys the next sandbox lacks).
            let state = try statePath.map { try StateStore.open(path: $0, runDescription: "keybatch provision \(input.reservations)") }
            // Without a state file, one run at a time per workspace on this machine (see NoStateLock).
            var noStateLock: StateLock?
            if state == nil, session.sandbox == nil {
                if let path = NoStateLock.path(endpoint: configuration.endpoint, workspaceID: configuration.workspaceID, apiKey: configuration.apiKey) {
                    noStateLock = try StateLock(statePath: path, description: "keybatch provision --no-state \(input.reservations)",
                                                resource: "this Seam workspace (\(configuration.endpoint), without a state file)")
                } else {
                    logger.warning("--no-state: this user's lock folder in the temporary folder is not safe to use; running without the lock")
                }
            }
            defer { _ = noStateLock }
            var options = provisioning.options
            // A create a killed run left unanswered may land until its request timed out.
            options.inFlightGrace = .seconds(seam.requestTimeout + 1)
            options.instantKeys = instantKeys
            let inputOptions = try input.inputOptions()
            let board = RunProgressBoard()
            let client = session.client
            let display = ProgressDisplay(
                mode: ProgressDisplay.mode(console: .standardError, format: logging.logFormat, interval: reporting.progressInterval),
                board: board, calls: { client.stats.snapshot }, format: logging.logFormat, console: .standardError, logger: logger
            ).start(counting: inputOptions)
            let run = ProvisioningRun(
                input: inputOptions, resultsPath: out, options: options,
                operations: session.operations, state: state, stop: stop,
                format: output.format,
                wrapJournal: CrashFailpointArgument.journalWrapper(environment: ProcessInfo.processInfo.environment),
                board: board, logger: logger
            )
            do {
                report = try await run.run()
            } catch {
                display.cancel()
                await display.value
                throw error
            }
            display.cancel()
            await display.value
        } catch {
            let calls = await session.close()
            logger.fileErrors(error)
            throw stopped(error, calls: calls)
        }
        let stats = await session.close()
        let exitCode = Self.exitCode(for: report)
        let finished = Date()
        let figures = RunFigures(command: "provision", outcome: report.outcome.name, exitCode: exitCode, started: started, finished: finished,
                                 input: input.reservations, inputSHA256: report.inputSHA256, resultsFile: out, stateFile: statePath,
                                 summary: report.summary, calls: stats, instantKeys: report.instantKeys)
        SummaryPrinter(logging).printProvisioning(report, stats: stats, results: out, endpoint: configuration.endpoint, figures: figures)
        reporting.write(figures, finished: finished, logger: logger)
        throw ExitCode(exitCode)
    }

    static func exitCode(for report: ProvisioningReport) -> Int32 {
        switch report.outcome {
        case .unauthorized, .unreachable: return 2
        case .aborted: return 3
        case .interrupted: return 130
        case .completed:
            return report.summary.count(.invalid) + report.summary.count(.failed) + report.siteFailures > 0 ? 1 : 0
        }
    }
}
