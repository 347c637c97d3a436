/// How far the provisioner may trust the state file about a guest's ACS user on a site.
///
/// With nothing to trust every resource is looked up by its natural key before anything is made;
/// with a trusted record, what it says exists is used as it is and what it lacks is looked up.
public enum SiteKnowledge: Sendable, Hashable {
    /// No state file (`--no-state`), or a site the state has never seen: every step looks first.
    case lookUpEverything
    /// What the state file recorded for the site.
    case trusted(GuestSiteRecord)

    public var record: GuestSiteRecord? {
        if case .trusted(let record) = self { return record }
        return nil
    }

    /// The ids known so far (none when everything is looked up).
    public var keys: ProvisionedKeys { record?.keys ?? ProvisionedKeys() }
}
