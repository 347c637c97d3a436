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

    init(stop: StopSignal, logger: Logger) {
        var sources: [any DispatchSourceSignal] = []
        for number in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if stop.isRequested {
                    FileHandle.standardError.write(Data("keybatch: second signal: exiting now\n".utf8))
                    exit(130)
                }
                logger.warning("signal received: finishing the rows in flight (signal again to exit now)")
                stop.request()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    static let signals = [SIGINT, SIGTERM, SIGHUP]

    func release() {
        for source in sources { source.cancel() }
        for number in Self.signals { signal(number, SIG_DFL) }
    }
}
