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

    /// Checked before anything is read or sent, for every file the command writes (`--out` and,
    /// for `provision`, `--json-summary` and `--metrics-file`): none may be a folder (found only at
    /// the end, with every row done and the results stranded), a block device or a socket, nor any
    /// file the run reads or keeps: an input (`--out in.csv` would destroy it), the state file or
    /// one of its side files (`--out state.sqlite-wal` is deleted by SQLite at the end; a replaced
    /// `.lock` lets a second run in), nor another output (`--json-summary o.csv --out o.csv` would
    /// leave JSON where the results were), however it is spelt (links, `./`, a hard link; `-` is
    /// whatever standard output is). Two outputs may share a character device only (`/dev/null`
    /// for both, or a terminal).
    func checkNotOverwriting(_ reads: [String?], state: String? = nil, reports: [(flag: String, path: String?)] = []) throws {
        let outputs = ([(flag: "--out", path: out)] + reports).compactMap { output in
            output.path.map { (flag: output.flag, path: $0, file: $0 == "-" ? "/dev/stdout" : $0) }
        }
        let kept = reads.compactMap { $0 }.filter { $0 != "-" } + (state.map(StateFileNames.all(for:)) ?? [])
        for (index, output) in outputs.enumerated() {
            do {
                _ = try OutputTarget.of(output.path)
            } catch {
                throw ValidationError("\(output.flag) \(output.path) \(error.reason)")
            }
            for other in kept where FileIdentity.same(output.file, other) {
                throw ValidationError("\(output.flag) \(output.path) is the same file as \(other); it would be overwritten")
            }
            for earlier in outputs[..<index] where FileIdentity.same(output.file, earlier.file)
                && FileIdentity(path: output.file)?.isCharacterDevice != true {
                throw ValidationError("\(output.flag) \(output.path) is the same file as \(earlier.flag) \(earlier.path); one would overwrite the other")
            }
        }
    }
}
