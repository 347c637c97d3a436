import Foundation

/// How full a Salto KS site's subscription slots are, and what Seam says about it.
///
/// A slot is held by every ACS user the site has created (`ACSUserRecord.onSiteSince`), until the
/// user is deleted; the sandbox does not free slots outside the access schedule, so occupancy only
/// moves when users arrive or go. A user whose creation settles on a full site is refused with
/// `salto_ks_subscription_limit_exceeded`. Above 80% of the slots the system carries
/// `salto_ks_subscription_limit_almost_reached` (the threshold Seam documents).
struct SaltoKSSlotUsage: Equatable {
    /// Slots of the site; nil: unlimited.
    let slots: Int?
    /// When each user holding a slot arrived on the site, oldest first.
    let arrivals: [Date]

    init(slots: Int?, arrivals: [Date]) {
        self.slots = slots
        self.arrivals = arrivals.sorted()
    }

    var isFull: Bool {
        guard let slots else { return false }
        return arrivals.count >= slots
    }

    /// Since when occupancy has been above 80% of the slots (when the user that crossed the line
    /// arrived), or nil while it is not.
    var almostReachedSince: Date? {
        guard let slots else { return nil }
        let threshold = 0.8 * Double(slots)
        guard Double(arrivals.count) > threshold else { return nil }
        let crossingIndex = Int(threshold.rounded(.down))
        return arrivals[min(crossingIndex, arrivals.count - 1)]
    }
}
