import ArgumentParser
import Foundation
import KeyBatch
import Logging

/// The `keybatch` command: a thin shell over the KeyBatch module. Each subcommand lives in its own
/// file and only parses flags, builds a configuration and maps the outcome to an exit code.
@main
struct KeyBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keybatch",
        abstract: "Turn a reservation export into Salto KS mobile keys through the Seam API.",
        version: "keybatch \(KeyBatchVersion.current)",
        subcommands: [ValidateCommand.self, PlanCommand.self, ProvisionCommand.self, ExportCommand.self, SandboxCommand.self]
    )

    static func main() async {
        do {
            let command = try parseAsRoot()
            let level = (command as? any LoggingCommand)?.logging.logLevel ?? .info
            LoggingSystem.bootstrap { _ in TerminalLogHandler(logLevel: level) }
            try await run(command)
        } catch {
            // Argument parser's default for usage errors is 64 (EX_USAGE); KeyBatch documents 2
            // for every usage, configuration or file problem, so scripts check one number.
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }

    /// Runs the parsed command. The command is handed over (`sending`): nothing else holds it, so
    /// running it off the main actor races with nothing.
    private nonisolated static func run(_ command: sending any ParsableCommand) async throws {
        var command = command
        if var asyncCommand = command as? AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }
}
