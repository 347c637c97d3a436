import ArgumentParser
import Foundation
import KeyBatch
import Logging

/// `--json-summary` and `--metrics-file`: what a scheduler, a log shipper or Prometheus reads
/// about a run, beside the results file that a person reads.
struct ReportingArguments: ParsableArguments {
    @Option(help: "Write the run's figures as JSON to this file at the end (counts by status and action, HTTP calls, duration, exit code, input SHA-256, …; schema in README).")
    var jsonSummary: String?

    @Option(help: "Write the run's figures in Prometheus text format to this file at the end, for node_exporter's textfile collector (metrics named keybatch_…).")
    var metricsFile: String?

    @Option(help: "Seconds between progress lines when standard error is not a terminal or logs are JSON (a terminal gets a live line instead); 0 shows no progress.")
    var progressInterval: Double = 15

    func validate() throws {
        guard progressInterval.isFinite, progressInterval == 0 || (0.1...86_400).contains(progressInterval) else {
            throw ValidationError("--progress-interval must be 0 (no progress) or between 0.1 and 86400 seconds")
        }
    }

    var paths: [String?] { [jsonSummary, metricsFile] }

    /// Writes what was asked; a failure to write is logged (the run's own exit code stands: the
    /// missing file is what a monitor notices).
    func write(_ figures: RunFigures, finished: Date, logger: Logger) {
        if let jsonSummary {
            do {
                try ReportFile.write(try figures.json(), to: jsonSummary, mode: 0o600)
            } catch {
                logger.error("cannot write the JSON summary: \(error)")
            }
        }
        if let metricsFile {
            do {
                try MetricsFile.write(figures, finished: finished, to: metricsFile)
            } catch {
                logger.error("cannot write the metrics file: \(error)")
            }
        }
    }
}
