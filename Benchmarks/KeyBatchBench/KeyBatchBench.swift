import ArgumentParser

/// `make bench` drivers that need the sandbox in-process: provisioning throughput against a
/// rate-limited, slow Seam, and the cost of nightly reruns with a state file.
@main
struct KeyBatchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keybatch-bench",
        subcommands: [ProvisionBenchmark.self, ThroughputBenchmark.self, StateBenchmark.self, TimestampBenchmark.self, ConfirmBenchmark.self, ExportBenchmark.self, VerifyBenchmark.self,
                      LimitBenchmark.self, CallsBenchmark.self]
    )
}
