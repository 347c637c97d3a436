/// Every guest's plan on every site a run touches, and each reservation's place in it: built once,
/// before any call, from the whole file and the whole state (a guest's stays may lie anywhere in
/// the file, and stays the file no longer lists still count).
public struct SiteBook: Sendable {
    /// One reservation's place in its guest's plan.
    public struct Entry: Sendable, Hashable {
        public var site: GuestSite
        public var role: StayRole
        /// Sites an earlier run gave this reservation's guest access on, which it no longer asks
        /// for (its email or its listing's site changed): their work is the row's too.
        public var formerSites: [GuestSite]

        public init(site: GuestSite, role: StayRole, formerSites: [GuestSite] = []) {
            self.site = site
            self.role = role
            self.formerSites = formerSites
        }

        /// Every site whose work the row waits for, its own first.
        public var sites: [GuestSite] { [site] + formerSites }
    }

    public var plans: [GuestSite: SitePlan]
    public var entries: [String: Entry]
    /// `--sync`: reservations the state holds and the file lacks, whose access ends (their rows
    /// follow the file's), by reservation id.
    public var dropped: [StateRecord]

    public init(plans: [GuestSite: SitePlan] = [:], entries: [String: Entry] = [:], dropped: [StateRecord] = []) {
        self.plans = plans
        self.entries = entries
        self.dropped = dropped
    }

    /// The plans a row waits on, its own first.
    public func plans(for entry: Entry) -> [SitePlan] {
        entry.sites.compactMap { plans[$0] }
    }
}
