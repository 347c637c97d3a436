import KeyBatch
import Logging

extension Logger {
    /// Logs what stopped a command before its rows (exit 2): each problem of a listings file on
    /// its own line, any other error (input, state or output file) as it describes itself.
    func fileErrors(_ error: any Error) {
        if let errors = error as? InputFileErrors {
            for error in errors.errors { self.error("\(error)") }
        } else {
            self.error("\(error)")
        }
    }
}
