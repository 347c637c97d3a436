/// Checks, once and before any row is sent, that every listing's ACS system and access groups
/// exist in the workspace, so that a row of a mistyped listing fails cleanly instead of leaving
/// a half-provisioned guest behind.
public enum ListingPreflight {
    /// Listing id → the failure its rows get; listings that are fine are absent.
    public static func check(_ catalog: ListingCatalog, operations: any SeamOperations) async throws(ProvisioningFailure) -> [String: ProvisioningFailure] {
        var groupsBySystem: [String: Set<String>?] = [:]
        for system in catalog.acsSystemIDs.sorted() {
            do {
                groupsBySystem[system] = try await operations.acsSystemExists(system)
                    ? .some(try await operations.accessGroupIDs(onACSSystem: system))
                    : .none
            } catch let error as SeamOperationError {
                throw ProvisioningFailure(step: .acsUser, code: .seam(error.code), message: "checking ACS system \(system): \(error.message)",
                                          isUnauthorized: error.isUnauthorized, progress: ProvisionedKeys())
            } catch {
                throw ProvisioningFailure(step: .acsUser, code: .run(.internalError), message: "checking ACS system \(system): \(error)", progress: ProvisionedKeys())
            }
        }
        var problems: [String: ProvisioningFailure] = [:]
        for listing in catalog.listings.values {
            guard let groups = groupsBySystem[listing.acsSystemID] ?? nil else {
                problems[listing.listingID] = ProvisioningFailure(
                    step: .acsUser, code: .run(.unknownACSSystem),
                    message: "listing \(listing.listingID): ACS system \(listing.acsSystemID) does not exist in this Seam workspace",
                    progress: ProvisionedKeys())
                continue
            }
            let missing = listing.accessGroupIDs.filter { !groups.contains($0) }
            if !missing.isEmpty {
                problems[listing.listingID] = ProvisioningFailure(
                    step: .accessGroups, code: .run(.unknownAccessGroup),
                    message: "listing \(listing.listingID): access group\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) not found on ACS system \(listing.acsSystemID)",
                    progress: ProvisionedKeys())
            }
        }
        return problems
    }
}
