/// What tonight's run does with one guest's ACS user on one site, decided before any call.
public indirect enum SiteAction: Sendable, Hashable {
    /// Seam holds what the stays ask for (as far as the state knows, confirmed): no call.
    case none
    /// Make the user hold `visit`: find the guest's user on the site (adopting one staff or an
    /// earlier run made), else create it with the visit's schedule and groups; bring its
    /// schedule and groups to the visit; find or make its one multi-phone mobile key; and, once
    /// the site confirms it, delete the guest's other users on the site (the old model's).
    case hold(Visit, SiteContact, SiteKnowledge)
    /// No stay is left: the user and its key go (and any other users of the guest on the site).
    case remove(SiteKnowledge)
    /// An earlier run's change the site had not confirmed: only re-checked.
    case confirm(GuestSiteRecord)
    /// `--verify`: Seam differs from what the state recorded for a site that needed nothing; the
    /// action that mends it, built from what Seam showed.
    case repair(DriftKind, SiteAction)
}
