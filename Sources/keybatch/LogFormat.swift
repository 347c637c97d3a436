import ArgumentParser

/// `--log-format`: lines for people, or one JSON object per line for log shippers.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json

    /// The format asked on a command line that did not parse, so even its usage error is written
    /// in the format the log shipper expects.
    static func requested(in arguments: [String]) -> LogFormat {
        for (index, argument) in arguments.enumerated() {
            if argument == "--log-format=json" { return .json }
            if argument == "--log-format", index + 1 < arguments.count, arguments[index + 1] == "json" { return .json }
        }
        return .text
    }
}
