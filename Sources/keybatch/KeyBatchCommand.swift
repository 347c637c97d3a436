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
        subcommands: [ValidateCommand.self, PlanCommand.self, ProvisionCommand.self, ExportCommand.self, LinksCommand.self, SandboxCommand.self]
    )

    static func main() async {
        do {
            let command = try parseAsRoot()
            // Only a command that declares the flags has them: an option group made here would
            // hold no parsed values, and reading one traps.
            let logging = (command as? any LoggingCommand)?.logging
            bootstrapLogging(level: logging?.logLevel ?? .info, format: logging?.logFormat ?? .text)
            try await run(command)
        } catch {
            // Argument parser's default for usage errors is 64 (EX_USAGE); KeyBatch documents 2
            // for every usage, configuration or file problem, so scripts check one number.
            if exitCode(for: error) == .validationFailure {
                let message = fullMessage(for: error)
                switch LogFormat.requested(in: CommandLine.arguments) {
                case .text:
                    // A usage error echoes what was typed (`--timezone $'Europe/\e[31mX'`): shown
                    // escaped, as every log line is, never as a raw escape sequence. (JSON escapes
                    // control characters itself.)
                    Console.standardError.writeLine(TerminalLogHandler.neutralised(message))
                case .json:
                    Console.standardError.writeLine(JSONLogHandler.line(level: .error, label: "keybatch", message: message,
                                                                        fields: ["exit_code": .stringConvertible(2)]))
                }
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }

    /// Every logger writes through the one `Console`, in the format asked, and every line written
    /// while a row is being worked on carries that row (`RowLogContext`).
    private static func bootstrapLogging(level: Logger.Level, format: LogFormat) {
        switch format {
        case .text:
            LoggingSystem.bootstrap({ _, provider in TerminalLogHandler(logLevel: level, metadataProvider: provider) },
                                    metadataProvider: RowLogContext.metadataProvider)
        case .json:
            LoggingSystem.bootstrap({ label, provider in
                JSONLogHandler(label: label, logLevel: level, metadataProvider: provider, console: .standardError)
            }, metadataProvider: RowLogContext.metadataProvider)
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
