import Foundation
import KeyBatch
import Logging
import SeamAPI

/// Shows a provisioning run's progress on standard error while it runs, from what the run
/// publishes (`RunProgressBoard`) and the client's call counts, through `ProgressMeter`.
///
/// - On a terminal, with text logs: a live status line, redrawn twice a second.
/// - Otherwise (cron, a pipe, `--log-format json`): a log line every `--progress-interval`
///   seconds, plain text or a JSON object; never an escape code.
struct ProgressDisplay: Sendable {
    enum Mode: Sendable, Equatable {
        case live(every: Duration)
        case lines(every: Duration)
        case off
    }

    let mode: Mode
    let board: RunProgressBoard
    let calls: @Sendable () -> SeamCallCounts
    let format: LogFormat
    let console: Console
    let logger: Logger

    static func mode(console: Console, format: LogFormat, interval: Double) -> Mode {
        guard interval > 0 else { return .off }
        if console.isTerminal, format == .text { return .live(every: .milliseconds(500)) }
        return .lines(every: .milliseconds(Int((interval * 1000).rounded())))
    }

    /// Starts counting the file's rows (for the total and the ETA) and showing progress; the
    /// returned task runs until cancelled, then erases the status line.
    func start(counting input: InputOptions) -> Task<Void, Never> {
        guard mode != .off else { return Task {} }
        // The count reads the whole file: on a thread of its own, never one of the few the run's
        // tasks and the sandbox share.
        let board = board
        Thread.detachNewThread {
            let total = input.countRows()
            board.update { $0.rowsTotal = total }
        }
        return Task { await show() }
    }

    private func show() async {
        var meter = ProgressMeter()
        let started = ContinuousClock.now
        let tick: Duration = switch mode {
        case .live(let every), .lines(let every): every
        case .off: .seconds(1)
        }
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            guard !Task.isCancelled else { break }
            let reading = meter.observe(.init(progress: board.current, calls: calls(), elapsed: .now - started))
            switch (mode, format) {
            case (.live, _):
                console.showStatus(reading.text)
            case (_, .json):
                logger.info("progress: \(reading.text)", metadata: reading.metadata)
            default:
                logger.info("progress: \(reading.text)")
            }
        }
        console.clearStatus()
    }
}
