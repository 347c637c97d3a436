import ArgumentParser
import Logging

/// `--log-level` and `--log-format`, shared by the commands that log. The handler is installed after the command
/// line is parsed (see `KeyBatchCommand.main`), so the level needs no global state.
struct LoggingArguments: ParsableArguments {
    @Option(help: "Least severe log level shown on standard error: trace, debug (every Seam call), info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(help: "text (lines for people) or json (one JSON object per line on standard error, progress and summary included, for log shippers).")
    var logFormat: LogFormat = .text
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// A command whose logging the command line configures. `SendableMetatype`: its conformances are
/// never main-actor isolated, so reading the level in `main` does not tie the command to the main
/// actor before it is handed to `run`.
protocol LoggingCommand: SendableMetatype {
    var logging: LoggingArguments { get }
}
