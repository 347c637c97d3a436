/// One guest's plan on one site: the goal from their stays, what the state knows, and the action.
public struct SitePlan: Sendable, Hashable {
    public var site: GuestSite
    public var goal: SiteGoal
    public var action: SiteAction
    /// The results' `action` column for the site's rows that are sent.
    public var kind: ActionKind
    public var record: GuestSiteRecord?
    /// What the guest's rows say of them (for a new identity and the user's name).
    public var contact: SiteContact

    public init(site: GuestSite, goal: SiteGoal, action: SiteAction, kind: ActionKind, record: GuestSiteRecord?,
                contact: SiteContact = SiteContact()) {
        self.contact = contact
        self.site = site
        self.goal = goal
        self.action = action
        self.kind = kind
        self.record = record
    }

    /// Whether the site needs a call tonight.
    public var sends: Bool { action != .none }

    /// The results' message for a row whose site's action is not an error: which drift a repair mends.
    public var note: String? {
        if case .repair(let drift, _) = action { return "repair: \(drift.rawValue)" }
        return nil
    }
}
