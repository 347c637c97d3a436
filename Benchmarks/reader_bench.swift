// Times the bare CSVReader (no validation) over a file, for comparison with libcsv_floor.
// Built by reader-bench.sh against the release build of the CSV module.
// Usage: reader_bench FILE [--write OUT]   (with --write, every record is also written back)
import CSV

#if canImport(Glibc)
import Glibc
#endif

func seconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: reader_bench FILE [--write OUT]")
    exit(2)
}
let writeTo = arguments.count >= 4 && arguments[2] == "--write" ? arguments[3] : nil
do {
    let start = seconds()
    let reader = try CSVReader(path: arguments[1])
    let writer = try writeTo.map { try CSVWriter(path: $0) }
    var records = 0
    var issues = 0
    var bytes = 0
    while let result = try reader.next() {
        switch result {
        case .success(let record):
            records += 1
            bytes &+= record.fields[0].utf8.count
            try writer?.write(record.fields)
        case .failure:
            issues += 1
        }
    }
    try writer?.close()
    let elapsed = seconds() - start
    let rows = records + issues
    print("records \(records) issues \(issues) seconds \(elapsed) rows/s \(Int(Double(rows) / elapsed)) (\(bytes))")
} catch {
    print("error: \(error)")
    exit(1)
}
