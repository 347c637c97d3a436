import CSV

/// Every listing of `listings.csv`, keyed by listing id.
///
/// The file has one row per (listing, access group). It is configuration, small and written by
/// a person, so any problem in it stops the run (exit 2) with every problem listed, rather than
/// provisioning guests against a half-understood door map.
public struct ListingCatalog: Sendable {
    public static let requiredColumns = ["listing_id", "acs_system_id", "acs_access_group_id"]

    public private(set) var listings: [String: Listing]

    public init(listings: [Listing]) {
        self.listings = Dictionary(listings.map { ($0.listingID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(listingID: String) -> Listing? { listings[listingID] }

    /// Every ACS system the catalog refers to, for checking them (and their groups) against Seam once.
    public var acsSystemIDs: Set<String> { Set(listings.values.map(\.acsSystemID)) }

    public static func load(path: String, delimiter: CSVDelimiter = .detect) throws -> ListingCatalog {
        let reader = try InputFileError.catching { () throws(CSVFileError) in try CSVReader(path: path, delimiting: delimiter) }
        var problems: [InputFileError] = []
        var layout: HeaderLayout?
        var order: [String] = []
        var systems: [String: (id: String, line: Int)] = [:]
        var groups: [String: [String]] = [:]

        while let next = try InputFileError.catching({ () throws(CSVFileError) in try reader.next() }) {
            try InputFileError.refuseForeignEncoding(of: reader)
            let record: CSVRecord
            switch next {
            case .failure(let issue):
                problems.append(InputFileError(file: path, line: issue.line, column: issue.column, reason: "\(issue.kind.rawValue): \(issue.message)"))
                continue
            case .success(let value):
                record = value
            }
            guard let columns = layout else {
                layout = try HeaderLayout(header: record.fields, required: requiredColumns, optional: [], file: path, line: record.line,
                                            splitBy: reader)
                continue
            }
            func field(_ name: String) -> (value: String, column: Int) {
                let index = columns.required[name]
                return (record.fields[index].trimmingBlanks(), index + 1)
            }
            let listing = field("listing_id")
            let system = field("acs_system_id")
            let group = field("acs_access_group_id")
            var rowIsUsable = true
            for (name, cell) in [("listing_id", listing), ("acs_system_id", system), ("acs_access_group_id", group)] where cell.value.isEmpty {
                problems.append(InputFileError(file: path, line: record.line, column: cell.column, reason: "\(name) is empty"))
                rowIsUsable = false
            }
            for (name, cell) in [("acs_system_id", system), ("acs_access_group_id", group)] where !cell.value.isEmpty && !SeamIdentifier.isUUID(cell.value) {
                problems.append(InputFileError(file: path, line: record.line, column: cell.column, reason: "\(name) '\(cell.value)' is not a Seam id (a UUID)"))
                rowIsUsable = false
            }
            guard rowIsUsable else { continue }
            if let known = systems[listing.value] {
                if known.id != system.value {
                    problems.append(InputFileError(
                        file: path, line: record.line, column: system.column,
                        reason: "listing \(listing.value) is on two ACS systems: \(known.id) (line \(known.line)) and \(system.value); a listing's groups must all be on one system"
                    ))
                }
            } else {
                systems[listing.value] = (system.value, record.line)
                order.append(listing.value)
            }
            if !(groups[listing.value]?.contains(group.value) ?? false) {
                groups[listing.value, default: []].append(group.value)
            }
        }
        if layout == nil {
            problems.append(InputFileError(file: path, line: nil, column: nil, reason: "the file is empty; expected a header with \(requiredColumns.joined(separator: ", "))"))
        }
        guard problems.isEmpty else { throw InputFileErrors(errors: problems) }
        return ListingCatalog(listings: order.map { Listing(listingID: $0, acsSystemID: systems[$0]!.id, accessGroupIDs: groups[$0]!) })
    }
}
