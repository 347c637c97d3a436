import Foundation
import KeyBatch
import Metrics
import Prometheus

/// `--metrics-file`: a run's figures as Prometheus gauges, in the text format node_exporter's
/// textfile collector reads (the convention for batch jobs: one file, rewritten whole at the end
/// of each run). The gauges go through swift-metrics into a swift-prometheus registry of this
/// run's own, which renders them: no hand-written exposition format.
enum MetricsFile {
    static let lastSuccessName = "keybatch_last_success_timestamp_seconds"

    /// The file's text for `figures`; `lastSuccess` is the time of the last successful run, this
    /// one's or (when this one failed) the one the previous file recorded.
    static func render(_ figures: RunFigures, finished: Date, lastSuccess: Double?) -> String {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        func gauge(_ name: String, _ value: Double, _ labels: [(String, String)] = []) {
            Gauge(label: "keybatch_" + name, dimensions: labels, factory: factory).record(value)
        }
        gauge("info", 1, [("version", figures.keybatchVersion), ("command", figures.command)])
        gauge("last_run_timestamp_seconds", finished.timeIntervalSince1970.rounded())
        gauge("last_run_exit_code", Double(figures.exitCode))
        gauge("last_run_success", figures.isSuccess ? 1 : 0)
        gauge("last_run_duration_seconds", figures.durationSeconds)
        gauge("last_run_rows", Double(figures.rows))
        for (status, count) in figures.byStatus.sorted(by: { $0.key < $1.key }) { gauge("last_run_status_rows", Double(count), [("status", status)]) }
        for (action, count) in figures.byAction.sorted(by: { $0.key < $1.key }) { gauge("last_run_action_rows", Double(count), [("action", action)]) }
        gauge("last_run_http_calls", Double(figures.httpCalls))
        gauge("last_run_http_retries", Double(figures.retries))
        gauge("last_run_http_rate_limited", Double(figures.rateLimited))
        gauge("last_run_rows_per_second", figures.rowsPerSecond)
        if let instantKeys = figures.instantKeys {
            gauge("last_run_instant_keys", Double(instantKeys.issued), [("outcome", "issued")])
            gauge("last_run_instant_keys", Double(instantKeys.refused), [("outcome", "refused")])
        }
        if let lastSuccess { gauge("last_success_timestamp_seconds", lastSuccess) }
        return registry.emitToString()
    }

    /// Writes the file for this run, carrying the last success over from the file it replaces.
    static func write(_ figures: RunFigures, finished: Date, to path: String) throws {
        let lastSuccess = figures.isSuccess ? finished.timeIntervalSince1970.rounded() : previousLastSuccess(in: path)
        try ReportFile.write(Data(render(figures, finished: finished, lastSuccess: lastSuccess).utf8), to: path, mode: 0o644)
    }

    /// The last success the existing file recorded (a sample line `NAME VALUE`), if any.
    static func previousLastSuccess(in path: String) -> Double? {
        guard let text = ReportFile.readPrevious(path) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(lastSuccessName + " ") {
            // Only a plausible time is carried on: a hand-edited or hostile value is dropped.
            guard let value = Double(line.dropFirst(lastSuccessName.count + 1).trimmingCharacters(in: .whitespaces)),
                  value.isFinite, value > 0, value < 1e11 else { return nil }
            return value
        }
        return nil
    }
}
