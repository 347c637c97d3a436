/// A rentable unit and where its doors live in Seam: one Salto KS site (ACS system) and the
/// access groups a guest of this listing must be in.
public struct Listing: Sendable, Hashable {
    public var listingID: String
    public var acsSystemID: String
    /// In file order, without repeats.
    public var accessGroupIDs: [String]

    public init(listingID: String, acsSystemID: String, accessGroupIDs: [String]) {
        self.listingID = listingID
        self.acsSystemID = acsSystemID
        self.accessGroupIDs = accessGroupIDs
    }
}
