import ArgumentParser
import Foundation
import KeyBatch

/// Why KeyBatch parses ISO 8601 by hand: the same 1M check-in strings parsed (and formatted back
/// in UTC) by `TimestampParser`/`Timestamp.iso8601` and by Foundation's two ISO 8601 APIs.
struct TimestampBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "timestamps")

    @Option var count = 1_000_000

    func run() throws {
        let inputs = (0..<count).map { index in
            let day = 1 + index % 28
            let hour = index % 24
            return index % 3 == 0
                ? "2027-03-\(BenchmarkFixtures.pad(day))T\(BenchmarkFixtures.pad(hour)):00:00.250+02:00"
                : "2027-03-\(BenchmarkFixtures.pad(day))T\(BenchmarkFixtures.pad(hour)):30:00Z"
        }
        let clock = ContinuousClock()
        var checksum = 0

        let ours = clock.measure {
            for text in inputs {
                if case .instant(let instant)? = TimestampParser.parse(text) { checksum &+= instant.iso8601.utf8.count }
            }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        let legacy = clock.measure {
            for text in inputs {
                if let date = formatter.date(from: text) ?? plain.date(from: text) { checksum &+= formatter.string(from: date).utf8.count }
            }
        }
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let plainStyle = Date.ISO8601FormatStyle()
        let modern = clock.measure {
            for text in inputs {
                if let date = (try? style.parse(text)) ?? (try? plainStyle.parse(text)) { checksum &+= style.format(date).utf8.count }
            }
        }
        let base = ours.inSeconds
        print("Parse + format back in UTC, \(count) ISO 8601 times (checksum \(checksum))")
        print(pad("", 3) + pad("implementation", 34) + pad("seconds", 10) + "x TimestampParser")
        for (name, duration) in [("TimestampParser (KeyBatch)", ours), ("ISO8601DateFormatter", legacy), ("Date.ISO8601FormatStyle", modern)] {
            let seconds = duration.inSeconds
            print(pad("", 3) + pad(name, 34) + pad(String(format: "%.3f", seconds), 10) + String(format: "%.1fx", seconds / base))
        }
    }
}
