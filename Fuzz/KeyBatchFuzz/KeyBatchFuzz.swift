import CSV
import Foundation
import KeyBatch

/// The libFuzzer target for everything KeyBatch reads from files other systems export: the CSV
/// reader (libcsv), the header check and the row validation of a reservations file, the listings
/// file, and the writer's promise that whatever it writes reads back field for field.
///
/// Built by `make fuzz SECONDS=N` with `-DFUZZING -sanitize=fuzzer,address`; libFuzzer's driver
/// (`LLVMFuzzerRunDriver`) then calls `run` with each generated input. In an ordinary build (`make test` builds
/// every target) there is no libFuzzer, so the same checks run as a replayer instead:
/// `KeyBatchFuzz FILE...` runs each file once, e.g. a crash libFuzzer saved.
///
/// The reader takes a path (it streams files), so each input goes through a file in a private
/// temporary folder; that costs throughput, but it fuzzes the code the command runs, not a copy.
enum KeyBatchFuzz {
    /// A catalog the fuzzer can hit: the seed corpus uses these listing ids.
    static let catalog = ListingCatalog(listings: [
        Listing(listingID: "L1", acsSystemID: "acs_system_1", accessGroupIDs: ["group_1"]),
        Listing(listingID: "L2", acsSystemID: "acs_system_1", accessGroupIDs: ["group_1", "group_2"]),
    ])
    static let now = Timestamp(year: 2026, month: 12, day: 1)
    static let zone = ZoneResolver(identifier: "Europe/Paris")
    static let folder: String = {
        let path = NSTemporaryDirectory() + "keybatch-fuzz-\(getpid())"
        mkdir(path, 0o700)
        return path
    }()

    /// Runs every check on one input; traps (a crash libFuzzer reports) when a promise is broken.
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let input = folder + "/input.csv"
        guard FileManager.default.createFile(atPath: input, contents: Data(bytes)) else {
            fatalError("cannot write \(input)")
        }
        // Most inputs are read as the CLI reads them by default, the delimiter detected from the
        // header line; one in five with `;` given, as `--delimiter ';'` would. The length picks
        // it so that the choice never changes the content.
        let delimiter: CSVDelimiter = bytes.count % 5 == 4 ? .byte(UInt8(ascii: ";")) : .detect
        readReservations(input, delimiter: delimiter)
        _ = try? ListingCatalog.load(path: input, delimiter: delimiter)
        roundTrip(input)
    }

    /// The whole front of `validate`/`provision`: every record becomes exactly one row.
    static func readReservations(_ path: String, delimiter: CSVDelimiter) {
        guard let stream = try? ReservationStream(path: path, catalog: catalog, now: now, zone: zone, delimiter: delimiter) else {
            return  // a file-level error (no header, missing columns): reported, not a crash
        }
        var lastLine = 0
        while let row = try? stream.next() {
            // Rows come in file order, each at a real line.
            precondition(row.identity.line > lastLine, "row at line \(row.identity.line) after line \(lastLine)")
            lastLine = row.identity.line
        }
    }

    /// What the reader accepts, the writer writes and the reader reads back unchanged.
    static func roundTrip(_ path: String) {
        guard let reader = try? CSVReader(path: path) else { return }
        var records: [[String]] = []
        while let next = try? reader.next() {
            if case .success(let record) = next { records.append(record.fields) }
        }
        guard !records.isEmpty else { return }
        let copy = folder + "/copy.csv"
        do {
            let writer = try CSVWriter(path: copy, neutraliseFormulas: false)
            for fields in records { try writer.write(fields) }
            try writer.close()
            let again = try CSVReader(path: copy)
            var index = 0
            while let next = try again.next() {
                guard case .success(let record) = next else {
                    fatalError("the writer wrote a record the reader refuses: \(next)")
                }
                precondition(index < records.count, "the copy has more records than were written")
                precondition(record.fields == records[index], "record \(index) changed: \(records[index]) became \(record.fields)")
                index += 1
            }
            precondition(index == records.count, "the copy lost records: \(index) of \(records.count)")
        } catch {
            fatalError("round trip failed: \(error)")
        }
    }
}

#if FUZZING
/// libFuzzer's entry for a program that has its own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's `main` to `<module>_main`, so libFuzzer's own `main` never
/// runs: this is that entry, handing the command line to libFuzzer's driver.
@_cdecl("KeyBatchFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        KeyBatchFuzz.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
@main
struct KeyBatchFuzzReplay {
    static func main() throws {
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            print("usage: KeyBatchFuzz FILE... (runs the fuzz checks once per file; `make fuzz` fuzzes)")
        }
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            data.withUnsafeBytes { KeyBatchFuzz.run($0) }
            print("\(file): ok")
        }
        try? FileManager.default.removeItem(atPath: KeyBatchFuzz.folder)
    }
}
#endif
