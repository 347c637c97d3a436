/// Checks, once and before any row is sent, that every listing's ACS system is a Salto KS site
/// Seam can reach, and that its access groups exist, so that the rows of a mistyped listing or a
/// broken site fail cleanly with the reason instead of leaving half-provisioned guests behind.
public enum ListingPreflight {
    public struct Report: Sendable {
        /// Listing id → the failure its rows get; listings that are fine are absent.
        public var problems: [String: ProvisioningFailure] = [:]
        /// Listings whose problem only stops new keys (a full site): their revocations still go,
        /// since removing a guest frees a slot.
        public var blocksOnlyCreation: Set<String> = []
        /// Run-level notes for the summary (a site close to its subscription limit).
        public var warnings: [String] = []

        /// The failure a row of `listing` gets for `action`, if any.
        public func problem(for listing: Listing, action: PlannedAction) -> ProvisioningFailure? {
            guard let failure = problems[listing.listingID] else { return nil }
            switch action.kind {
            case .confirm:
                return nil
            case .revoke, .cleanup, .update, .move:
                // Nothing is made: a full site does not stop it (a removal frees a slot).
                return blocksOnlyCreation.contains(listing.listingID) ? nil : failure
            case .none, .create, .resume, .repair:
                return failure
            }
        }
    }

    /// Seam's system errors that stop only creation; any other system error stops every call.
    static let creationOnlyErrors: Set<ErrorCode> = [.seam(.saltoKSSubscriptionLimitExceeded)]

    public static func check(_ catalog: ListingCatalog, operations: any SeamOperations) async throws(ProvisioningFailure) -> Report {
        // Every system, and its system and groups, at once: nothing is sent for a row before the
        // check, so at Seam's pace each call made after another is a second of the run with
        // nothing sent (two in a row were seen taking 2.3 s).
        var systems: [String: (state: ACSSystemState, groups: Set<String>)?] = [:]
        do {
            systems = try await withThrowingTaskGroup(of: (String, (state: ACSSystemState, groups: Set<String>)?).self) { group in
                for system in catalog.acsSystemIDs.sorted() {
                    group.addTask {
                        do {
                            async let groups = operations.accessGroupIDs(onACSSystem: system)
                            // A system Seam does not have: its groups' answer does not matter.
                            guard let state = try await operations.acsSystem(system) else { return (system, nil) }
                            return (system, (state, try await groups))
                        } catch {
                            throw ProvisioningFailure(step: .acsUser, error: error, context: "checking ACS system \(system)", progress: ProvisionedKeys())
                        }
                    }
                }
                var found: [String: (state: ACSSystemState, groups: Set<String>)?] = [:]
                for try await (system, checked) in group { found[system] = .some(checked) }
                return found
            }
        } catch let failure as ProvisioningFailure {
            throw failure
        } catch {
            throw ProvisioningFailure(step: .acsUser, error: error, context: "checking the ACS systems", progress: ProvisionedKeys())
        }
        var report = Report()
        for (system, found) in systems.sorted(by: { $0.key < $1.key }) {
            for warning in found?.state.warnings ?? [] {
                report.warnings.append("ACS system \(system): \(warning.code)\(warning.message.isEmpty ? "" : " (\(warning.message))")")
            }
        }
        for listing in catalog.listings.values {
            func fail(_ code: ErrorCode, _ step: ProvisioningStep, _ message: String) {
                report.problems[listing.listingID] = ProvisioningFailure(step: step, code: code, message: "listing \(listing.listingID): \(message)",
                                                                         progress: ProvisionedKeys())
            }
            guard let (state, groups) = systems[listing.acsSystemID] ?? nil else {
                fail(.run(.unknownACSSystem), .acsUser, "ACS system \(listing.acsSystemID) does not exist in this Seam workspace")
                continue
            }
            if let type = state.externalType, type != ACSSystemState.saltoKSSite {
                fail(.run(.unsupportedACSSystem), .acsUser, "ACS system \(listing.acsSystemID) is a \(type), not a Salto KS site")
                continue
            }
            if let error = state.errors.first {
                fail(error.code, .acsUser, "ACS system \(listing.acsSystemID): \(error.message.isEmpty ? error.code.rawValue : error.message)")
                if state.errors.allSatisfy({ creationOnlyErrors.contains($0.code) }) { report.blocksOnlyCreation.insert(listing.listingID) }
                continue
            }
            let missing = listing.accessGroupIDs.filter { !groups.contains($0) }
            if !missing.isEmpty {
                fail(.run(.unknownAccessGroup), .accessGroups,
                     "access group\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) not found on ACS system \(listing.acsSystemID)")
            }
        }
        return report
    }
}
