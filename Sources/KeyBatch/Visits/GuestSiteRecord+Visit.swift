/// A state record judged against a visit: a planning question, so it lives with the visits (the
/// state file knows nothing of visits).
extension GuestSiteRecord {
    /// Whether Seam holds exactly `visit`, as far as this record knows, with nothing left to do
    /// but (perhaps) wait for the site's confirmation.
    public func holds(_ visit: Visit) -> Bool {
        keys.acsUserID != nil && keys.acsCredentialID != nil && pendingCreate == nil && refusal == nil && retired.isEmpty
            && !awaitsDeletion && keys.schedule == visit.schedule && Set(keys.accessGroupIDs) == Set(visit.accessGroupIDs)
    }
}
