import Dispatch
import Foundation
import KeyBatch
import Logging

/// SIGINT/SIGTERM/SIGHUP handling for a run (a closed terminal or an ssh session that drops must
/// not leave an empty `.partial` behind): the first signal asks the run to stop taking rows and to
/// let the rows in flight finish; a second one exits at once (the state file already holds every
/// announced create, so the next run still finds what this one made).
final class SignalTrap {
    private let sources: [any DispatchSourceSignal]
    /// The signals trapped, with what they did before (restored on release).
    private let trapped: [(signal: Int32, previous: sighandler_t?)]

    init(stop: StopSignal, logger: Logger) {
        var sources: [any DispatchSourceSignal] = []
        var trapped: [(signal: Int32, previous: sighandler_t?)] = []
        for number in Self.signals {
            let previous = signal(number, SIG_IGN)
            // Started under `nohup` (SIGHUP ignored): keep ignoring it, as the user asked.
            if number == SIGHUP, Self.isIgnore(previous) { continue }
            trapped.append((number, previous))
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if stop.isRequested {
                    logger.critical("second signal: exiting now")
                    exit(130)
                }
                logger.warning("signal received: finishing the rows in flight (signal again to exit now)")
                stop.request()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        self.trapped = trapped
    }

    private static func isIgnore(_ handler: sighandler_t?) -> Bool {
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    static let signals = [SIGINT, SIGTERM, SIGHUP]

    func release() {
        for source in sources { source.cancel() }
        for (number, previous) in trapped { signal(number, previous) }
    }
}
