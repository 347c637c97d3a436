import Foundation
import KeyBatch
import Logging
import SeamAPI

/// The end-of-run report on standard error (standard output may carry the results file): lines
/// for people, or with `--log-format json` one JSON object (`"event": "summary"`, the lines under
/// `lines`, and for `provision` every field of the JSON summary) like every other line there.
struct SummaryPrinter {
    var format: LogFormat
    var console = Console.standardError

    init(_ logging: LoggingArguments) {
        format = logging.logFormat
    }

    func printValidation(_ summary: RunSummary, input: String, results: String?) {
        var lines = ["\(input): \(summary.rows) rows: \(summary.count(.valid)) valid, \(summary.count(.invalid)) invalid, \(summary.count(.expired)) expired"]
        if !summary.errorsByCode.isEmpty {
            let codes = summary.errorsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("  invalid by code: \(codes.joined(separator: ", "))")
        }
        if let results, results != "-" { lines.append("  results: \(results)") }
        emit(lines)
    }

    func printProvisioning(_ report: ProvisioningReport, stats: SeamCallCounts, results: String, endpoint: String, figures: RunFigures) {
        let seconds = report.duration.inSeconds
        let statuses = ResultStatus.allCases.compactMap { status in report.summary.byStatus[status].map { "\($0) \(status.rawValue)" } }
        var lines = ["\(report.summary.rows) rows: \(statuses.joined(separator: ", "))"]
        if !report.summary.errorsByCode.isEmpty {
            lines.append("  errors by code: " + report.summary.errorsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append(String(format: "  Seam: %d HTTP calls, %d retries, %d rate-limited (429); %.1f s, %.1f rows/s",
                            stats.httpCalls, stats.retries, stats.rateLimited, seconds, seconds > 0 ? Double(report.summary.rows) / seconds : 0))
        for warning in report.warnings { lines.append("  warning: \(warning)") }
        if let instantKeys = report.instantKeys { lines += instantKeyLines(instantKeys) }
        if let strangers = strangersLine(report.strangers) { lines.append(strangers) }
        if !report.siteProblems.isEmpty {
            lines.append("  guests' sites no row holds any more, not finished: "
                + report.siteProblems.prefix(5).map(TerminalLogHandler.neutralised).joined(separator: "; ")
                + (report.siteProblems.count > 5 ? " (and \(report.siteProblems.count - 5) more)" : ""))
        }
        if report.summary.count(.pending) > 0 {
            lines.append("  pending: \(report.summary.count(.pending)) rows Seam accepted and the Salto KS site has not confirmed yet; the next run re-checks them")
        }
        switch report.outcome {
        case .completed: break
        case .interrupted: lines.append("  interrupted: rows not started are marked not_started")
        case .aborted(let reason): lines.append("  aborted: \(reason)")
        case .unauthorized(let message): lines.append("  stopped: Seam refused the API key (\(message))")
        case .unreachable(let message): lines.append("  stopped: Seam could not be reached at \(endpoint) (\(message)); rows in flight were cancelled, rows not started are not_started, rows awaiting the site stay pending")
        }
        lines.append("  results: \(results)")
        emit(lines, figures: figures)
    }

    func printPlan(_ report: PlanRun.Report, input: String, results: String?) {
        let actions = report.actions.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
        var lines = ["\(input): \(report.summary.rows) rows; would do: \(actions.joined(separator: ", "))"]
        if let blocked = report.syncBlocked { lines.append("  blocked: \(blocked); nothing would be revoked") }
        if report.httpCalls > 0 { lines.append("  --verify: \(report.httpCalls) HTTP calls to read Seam") }
        if let strangers = strangersLine(report.strangers) { lines.append(strangers) }
        if let results, results != "-" { lines.append("  plan: \(results)") }
        emit(lines)
    }

    /// `--instant-keys`: how many links, and why rows have none (their keys are in place).
    private func instantKeyLines(_ tally: InstantKeyTally) -> [String] {
        var lines = ["  instant keys: \(tally.issued) links in instant_key_url" + (tally.refused > 0 ? ", \(tally.refused) provisioned rows without one" : "")]
        for (code, refusal) in tally.refusals.sorted(by: { $0.key < $1.key }) {
            let rows = refusal.reservationIDs.map(TerminalLogHandler.neutralised).joined(separator: ", ") + (refusal.count > refusal.reservationIDs.count ? ", …" : "")
            lines.append("  instant key refused: \(code) \(refusal.count) (\(rows)): \(TerminalLogHandler.neutralised(refusal.message))")
        }
        return lines
    }

    /// `--verify`'s ACS users that the state does not know: reported, never touched.
    private func strangersLine(_ strangers: [ACSUserState]) -> String? {
        guard !strangers.isEmpty else { return nil }
        let named = strangers.prefix(5).map { TerminalLogHandler.neutralised($0.fullName ?? $0.acsUserID) }.joined(separator: ", ")
        return "  unknown_to_state: \(strangers.count) ACS users the state does not know, left alone (\(named)\(strangers.count > 5 ? ", …" : "")); keybatch export lists them"
    }

    func printExport(_ report: ExportRun.Report, results: String, stats: SeamCallCounts?) {
        var lines = ["\(report.rows) rows exported"]
        if !report.byDrift.isEmpty {
            let kinds = DriftKind.allCases.compactMap { kind in report.byDrift[kind].map { "\(kind.rawValue) \($0)" } }
            lines[0] += "; drift: " + kinds.joined(separator: ", ")
        }
        if let stats {
            lines.append("  Seam: \(stats.httpCalls) HTTP calls, \(stats.retries) retries, \(stats.rateLimited) rate-limited (429)")
        } else {
            lines.append("  from the state file: no call to Seam")
        }
        if report.hasAlarm { lines.append("  drift found: see the drift column (exit 1)") }
        if results != "-" { lines.append("  export: \(results)") }
        emit(lines)
    }

    /// `links`: rows read, links issued, refused by code, skipped; never a link itself.
    func printLinks(_ report: LinksRun.Report, input: String, output: String, stats: SeamCallCounts, endpoint: String) {
        let tally = report.links
        var first = "\(input): \(report.rows) rows read: \(tally.issued) given a link (\(report.linksIssued) links issued, one per guest), "
        first += "\(tally.refused) refused, \(report.skipped) skipped"
        if report.notAsked > 0 { first += ", \(report.notAsked) not asked" }
        if report.unreadable > 0 { first += ", \(report.unreadable) unreadable" }
        var lines = [first]
        for (code, refusal) in tally.refusals.sorted(by: { $0.key < $1.key }) {
            let rows = refusal.reservationIDs.map(TerminalLogHandler.neutralised).joined(separator: ", ") + (refusal.count > refusal.reservationIDs.count ? ", …" : "")
            lines.append("  refused: \(code) \(refusal.count) (\(rows)): \(TerminalLogHandler.neutralised(refusal.message))")
        }
        lines.append("  Seam: \(stats.httpCalls) HTTP calls, \(stats.retries) retries, \(stats.rateLimited) rate-limited (429)")
        switch report.outcome {
        case .completed, .aborted: break
        case .interrupted: lines.append("  interrupted: rows not asked for are copied as they were")
        case .unauthorized(let message): lines.append("  stopped: Seam refused the API key (\(message)); rows not asked for are copied as they were")
        case .unreachable(let message): lines.append("  stopped: Seam could not be reached at \(endpoint) (\(message)); rows not asked for are copied as they were")
        }
        if report.unreadable > 0 { lines.append("  unreadable lines are copied as read, without a link (see the errors above)") }
        if output != "-" { lines.append("  links: \(output) (mode 0600: the links open doors)") }
        emit(lines)
    }

    /// Writes the summary in the run's log format.
    private func emit(_ lines: [String], figures: RunFigures? = nil) {
        switch format {
        case .text:
            // The lines quote paths as typed: a control character in one is shown escaped.
            console.writeLine(TerminalLogHandler.neutralised(lines.joined(separator: "\n")))
        case .json:
            var object: [String: Any] = [:]
            if let figures, let data = try? figures.json(), let fields = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                object = fields
            }
            object["event"] = "summary"
            object["lines"] = lines.map { $0.trimmingCharacters(in: .whitespaces) }
            console.writeLine(JSONLogHandler.line(level: .info, label: "keybatch", message: lines.first ?? "", object: object))
        }
    }
}
