import ArgumentParser
import CSV

/// How results files are written.
struct OutputArguments: ParsableArguments {
    @Option(name: .long, help: "Results CSV to write (- for standard output).")
    var out: String?

    @Flag(help: "End results lines with \\n instead of \\r\\n.")
    var lf = false

    @Flag(help: "Write values exactly as read, without the ' that stops spreadsheets running =, +, -, @ formulas.")
    var rawCsv = false

    var lineEnding: CSVWriter.LineEnding { lf ? .lf : .crlf }
}
