#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Standard error, shared by everything that writes to it: log lines, the live progress line and
/// the summary. On a terminal the progress line is a status line rewritten in place; a log line
/// written meanwhile first erases it, then it is drawn again below, so the two never garble each
/// other. Off a terminal (cron, a pipe, a file) no status line is ever drawn, so no escape code
/// reaches a log.
///
/// Hand-written because no listed package draws a status line: swift-log writes whole lines and
/// knows nothing of a line that must be erased first.
final class Console: Sendable {
    static let standardError = Console(fileDescriptor: STDERR_FILENO)

    /// Standard error is a terminal: the only case a status line is drawn.
    let isTerminal: Bool
    private let fileDescriptor: Int32
    /// The status line on screen, if any.
    private let status = Mutex<String?>(nil)

    /// Erases the current line (carriage return, then "erase to end of line").
    private static let eraseLine = "\r\u{1B}[K"

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        isTerminal = isatty(fileDescriptor) == 1
    }

    /// Writes `text` and a newline, keeping the status line (if any) below it.
    func writeLine(_ text: String) {
        status.withLock { status in
            let erase = status == nil ? "" : Self.eraseLine
            write(erase + text + "\n" + (status ?? ""))
        }
    }

    /// Shows `text` as the status line (on a terminal only), cut to the terminal's width: a line
    /// that wraps could no longer be erased with one carriage return.
    func showStatus(_ text: String) {
        guard isTerminal else { return }
        let line = String(text.prefix(max(20, columns - 1)))
        status.withLock { status in
            status = line
            write(Self.eraseLine + line)
        }
    }

    /// Erases the status line, before the summary.
    func clearStatus() {
        status.withLock { status in
            guard status != nil else { return }
            status = nil
            write(Self.eraseLine)
        }
    }

    /// The terminal's width (80 when it cannot be asked).
    private var columns: Int {
        var size = winsize()
        guard ioctl(fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Writes all of `text`; a failed write is dropped: losing a log line must not stop the run
    /// that is making keys. (A closed pipe fails the write with EPIPE in a run that calls Seam,
    /// where NIO ignores SIGPIPE; in `validate` it ends the process, as for any Unix filter.)
    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { systemWrite(fileDescriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
