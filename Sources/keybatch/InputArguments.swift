import ArgumentParser
import CSV
import KeyBatch

/// The arguments every command that reads reservations shares.
struct InputArguments: ParsableArguments {
    @Argument(help: "Reservations CSV export, or - for standard input.")
    var reservations: String

    @Option(help: "Listings CSV: listing_id, acs_system_id, acs_access_group_id (one row per access group).")
    var listings: String

    @Option(help: "IANA time zone (e.g. Europe/Prague) for check-in/out times written without a UTC offset.")
    var timezone: String?

    @Option(help: "Field delimiter of the reservations file: one character, or 'tab' (default: detected from its header line: , ; tab or |).")
    var delimiter: String?

    @Option(help: "Field delimiter of the listings file: one character, or 'tab' (default: detected from its header line).")
    var listingsDelimiter: String?

    func validate() throws {
        _ = try Self.delimiting(delimiter, flag: "--delimiter")
        _ = try Self.delimiting(listingsDelimiter, flag: "--listings-delimiter")
        if let timezone, ZoneResolver(identifier: timezone) == nil {
            throw ValidationError("unknown time zone '\(timezone)'; use an IANA name such as Europe/Prague or America/New_York")
        }
    }

    /// A delimiter flag's value: the byte given, or detection when the flag is absent (shared
    /// with `export`, which reads only the listings).
    static func delimiting(_ value: String?, flag: String) throws -> CSVDelimiter {
        guard let value else { return .detect }
        if value.lowercased() == "tab" || value == "\\t" { return .byte(UInt8(ascii: "\t")) }
        guard value.utf8.count == 1, let byte = value.utf8.first, byte != UInt8(ascii: "\""), byte != 10, byte != 13 else {
            throw ValidationError("\(flag) must be a single ASCII character other than a quote or newline, or 'tab' (got '\(value)')")
        }
        return .byte(byte)
    }

    func inputOptions() throws -> InputOptions {
        InputOptions(
            reservationsPath: reservations, listingsPath: listings, delimiter: try Self.delimiting(delimiter, flag: "--delimiter"),
            listingsDelimiter: try Self.delimiting(listingsDelimiter, flag: "--listings-delimiter"),
            zone: timezone.flatMap(ZoneResolver.init(identifier:))
        )
    }
}
