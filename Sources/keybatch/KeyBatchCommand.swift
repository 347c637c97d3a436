import ArgumentParser

/// The `keybatch` command: a thin shell over the KeyBatch module. Each subcommand lives in its own
/// file and only parses flags, builds a configuration and maps the outcome to an exit code.
@main
struct KeyBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keybatch",
        abstract: "Turn a reservation export into Salto KS mobile keys through the Seam API.",
        subcommands: [ValidateCommand.self, SandboxCommand.self]
    )
}
