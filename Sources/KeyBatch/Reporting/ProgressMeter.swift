import Logging
import SeamAPI

/// Turns samples of a run's progress into what an operator reads: rows done of the total, by
/// status, requests per second, 429s, retries and an ETA.
///
/// A value with one event (`observe`, the time passed in), so the arithmetic is tested without a
/// clock. Rates are taken over the last `span` of samples, not since the start: after a 429 storm
/// or a slow patch the ETA follows what Seam does now.
public struct ProgressMeter: Sendable {
    /// One look at the run: its progress, the client's call counts, and when (since the start).
    public struct Sample: Sendable {
        public var progress: RunProgress
        public var calls: SeamCallCounts
        public var elapsed: Duration

        public init(progress: RunProgress, calls: SeamCallCounts, elapsed: Duration) {
            self.progress = progress
            self.calls = calls
            self.elapsed = elapsed
        }
    }

    /// What the display shows.
    public struct Reading: Sendable, Equatable {
        public var rowsDone: Int
        public var rowsTotal: Int?
        public var byStatus: [ResultStatus: Int]
        public var inFlight: Int
        public var awaitingSite: Int
        public var awaitingLinks: Int
        public var httpCalls: Int
        public var retries: Int
        public var rateLimited: Int
        public var requestsPerSecond: Double
        public var rowsPerSecond: Double
        /// Time left at the current pace; nil without a total or before any row is done.
        public var eta: Duration?
        public var elapsed: Duration
    }

    /// How far back rates look.
    public let span: Duration
    private var recent: [(elapsed: Duration, calls: Int, rows: Int)] = []

    public init(span: Duration = .seconds(20)) {
        self.span = span
    }

    public mutating func observe(_ sample: Sample) -> Reading {
        let rows = sample.progress.rowsWritten
        // The pace counts rows waiting for the site as done by us: results are written in
        // bursts as confirmations arrive, and a pace of written rows alone swings wildly.
        let paced = rows + sample.progress.awaitingSite + sample.progress.awaitingLinks
        recent.append((sample.elapsed, sample.calls.httpCalls, paced))
        // Keep one sample at or before the span's start, so the window always covers `span`.
        while recent.count > 2, sample.elapsed - recent[1].elapsed >= span { recent.removeFirst() }
        let first = recent.count > 1 ? recent[0] : (elapsed: Duration.zero, calls: 0, rows: 0)
        let seconds = (sample.elapsed - first.elapsed).inSeconds
        let requestsPerSecond = seconds > 0 ? Double(sample.calls.httpCalls - first.calls) / seconds : 0
        let rowsPerSecond = seconds > 0 ? Double(paced - first.rows) / seconds : 0
        var eta: Duration?
        if let total = sample.progress.rowsTotal, !sample.progress.revoking, rowsPerSecond > 0 {
            eta = .seconds(Double(max(0, total - paced)) / rowsPerSecond)
        }
        return Reading(rowsDone: rows, rowsTotal: sample.progress.rowsTotal, byStatus: sample.progress.byStatus,
                       inFlight: sample.progress.inFlight, awaitingSite: sample.progress.awaitingSite,
                       awaitingLinks: sample.progress.awaitingLinks, httpCalls: sample.calls.httpCalls, retries: sample.calls.retries,
                       rateLimited: sample.calls.rateLimited, requestsPerSecond: requestsPerSecond, rowsPerSecond: rowsPerSecond,
                       eta: eta, elapsed: sample.elapsed)
    }
}

extension ProgressMeter.Reading {
    /// One line of plain text (no escape codes: the terminal line and the log line alike), e.g.
    /// `1200/10000 rows (12%) ETA 3m40s: 1190 provisioned, 10 failed; 8 in flight, 20 awaiting site; 41.5 req/s, 3 429s, 12 retries`
    /// (the figures that change the most first, so a narrow terminal cuts the least useful).
    public var text: String {
        var line = "\(rowsDone)"
        if let rowsTotal, rowsTotal > 0 {
            line += "/\(rowsTotal) rows (\(min(100, rowsDone * 100 / rowsTotal))%)"
        } else {
            line += " rows"
        }
        if let eta { line += " ETA \(Self.clock(eta))" }
        let statuses = ResultStatus.allCases.compactMap { status in byStatus[status].map { "\($0) \(status.rawValue)" } }
        if !statuses.isEmpty { line += ": " + statuses.joined(separator: ", ") }
        line += "; \(inFlight) in flight"
        if awaitingSite > 0 { line += ", \(awaitingSite) awaiting site" }
        if awaitingLinks > 0 { line += ", \(awaitingLinks) awaiting links" }
        line += "; \(Self.oneDecimal(requestsPerSecond)) req/s, \(rateLimited) 429s, \(retries) retries"
        return line
    }

    /// The same figures as log metadata (the JSON log's progress line).
    public var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "event": "progress",
            "rows_done": .stringConvertible(rowsDone),
            "in_flight": .stringConvertible(inFlight),
            "awaiting_site": .stringConvertible(awaitingSite),
            "awaiting_links": .stringConvertible(awaitingLinks),
            "http_calls": .stringConvertible(httpCalls),
            "retries": .stringConvertible(retries),
            "rate_limited": .stringConvertible(rateLimited),
            "requests_per_second": .stringConvertible((requestsPerSecond * 10).rounded() / 10),
            "elapsed_seconds": .stringConvertible((elapsed.inSeconds * 10).rounded() / 10),
            "by_status": .dictionary(Dictionary(uniqueKeysWithValues: byStatus.map { ($0.key.rawValue, .stringConvertible($0.value)) })),
        ]
        if let rowsTotal { metadata["rows_total"] = .stringConvertible(rowsTotal) }
        if let eta { metadata["eta_seconds"] = .stringConvertible(eta.inSeconds.rounded()) }
        return metadata
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `42s`, `3m05s`, `2h10m`.
    static func clock(_ duration: Duration) -> String {
        let seconds = Int(duration.inSeconds.rounded())
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(twoDigits(seconds % 60))s" }
        return "\(seconds / 3600)h\(twoDigits(seconds % 3600 / 60))m"
    }
}
