import ArgumentParser
import KeyBatch

/// The arguments every command that reads reservations shares.
struct InputArguments: ParsableArguments {
    @Argument(help: "Reservations CSV export, or - for standard input.")
    var reservations: String

    @Option(help: "Listings CSV: listing_id, acs_system_id, acs_access_group_id (one row per access group).")
    var listings: String

    @Option(help: "IANA time zone (e.g. Europe/Prague) for check-in/out times written without a UTC offset.")
    var timezone: String?

    @Option(help: "Field delimiter of both input files: one character, or 'tab'.")
    var delimiter: String = ","

    func validate() throws {
        _ = try delimiterByte()
        if let timezone, ZoneResolver(identifier: timezone) == nil {
            throw ValidationError("unknown time zone '\(timezone)'; use an IANA name such as Europe/Prague or America/New_York")
        }
    }

    func delimiterByte() throws -> UInt8 { try Self.delimiterByte(delimiter) }

    /// `--delimiter`'s byte (shared with `export`, which reads only the listings).
    static func delimiterByte(_ delimiter: String) throws -> UInt8 {
        if delimiter.lowercased() == "tab" || delimiter == "\\t" { return UInt8(ascii: "\t") }
        guard delimiter.utf8.count == 1, let byte = delimiter.utf8.first, byte != UInt8(ascii: "\""), byte != 10, byte != 13 else {
            throw ValidationError("--delimiter must be a single ASCII character other than a quote or newline (got '\(delimiter)')")
        }
        return byte
    }

    func inputOptions() throws -> InputOptions {
        InputOptions(
            reservationsPath: reservations, listingsPath: listings, delimiter: try delimiterByte(),
            zone: timezone.flatMap(ZoneResolver.init(identifier:))
        )
    }
}
