import ArgumentParser
import Foundation
import KeyBatch

/// Where and how a command writes its results (`validate`, `plan`) or results (`provision`) file:
/// one declaration of `--out`, `--lf` and `--raw-csv` for every command.
struct OutputArguments: ParsableArguments {
    @Option(name: .long, help: "Results CSV to write (- for standard output; required by provision).")
    var out: String?

    @Flag(help: "End results lines with \\n instead of \\r\\n.")
    var lf = false

    @Flag(help: "Write values exactly as read, without the ' that stops spreadsheets running =, +, -, @ formulas.")
    var rawCsv = false

    var format: ResultsFormat { ResultsFormat(lineEnding: lf ? .lf : .crlf, neutraliseFormulas: !rawCsv) }

    /// `provision` always writes a results file, into a folder that must exist.
    func requiredOut() throws -> String {
        guard let out else { throw ValidationError("Missing expected argument '--out <out>'") }
        let directory = URL(fileURLWithPath: out).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if out != "-", !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw ValidationError("the folder of --out (\(directory)) does not exist")
        }
        return out
    }

    /// Checked before anything is read or sent: `--out` must not be a folder (found only at the
    /// end, with every row done and the results stranded) nor any file the run reads or keeps
    /// (`--out in.csv` or `--out state.sqlite` would destroy it), however it is spelt (links, `./`).
    func checkNotOverwriting(_ others: [String?]) throws {
        guard let out, out != "-" else { return }
        guard let target = FileIdentity(path: out) else { return }
        if target.isDirectory { throw ValidationError("--out \(out) is a folder; name a file in it") }
        for case let other? in others where other != "-" {
            if FileIdentity(path: other) == target { throw ValidationError("--out \(out) is the same file as \(other); it would be overwritten") }
        }
    }
}
