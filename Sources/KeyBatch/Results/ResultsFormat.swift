import CSV

/// How a results file is written: the choices `--lf` and `--raw-csv` make, in one value that every
/// run takes, so callers need not import the CSV module.
public struct ResultsFormat: Sendable, Equatable {
    public enum LineEnding: Sendable, Equatable {
        /// RFC 4180's `\r\n`, which spreadsheets expect.
        case crlf
        case lf
    }

    public var lineEnding: LineEnding
    /// Prefix values starting with `=`, `+`, `-` or `@` with `'`, so a spreadsheet shows them
    /// instead of running them as formulas.
    public var neutraliseFormulas: Bool

    public init(lineEnding: LineEnding = .crlf, neutraliseFormulas: Bool = true) {
        self.lineEnding = lineEnding
        self.neutraliseFormulas = neutraliseFormulas
    }

    var csvLineEnding: CSVWriter.LineEnding {
        switch lineEnding {
        case .crlf: .crlf
        case .lf: .lf
        }
    }
}
