import ArgumentParser

/// `keybatch sandbox`: runs the Seam-compatible sandbox server. STUB: the sandbox work fills it in.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "Run the Seam-compatible sandbox server.")
    func run() async throws {}
}
