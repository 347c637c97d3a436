import Foundation

/// Whether a Salto KS user is subscribed (may open doors) at a given moment.
///
/// Seam keeps a Salto KS user "unsubscribed" until its `access_schedule.starts_at` and again after
/// `ends_at`, and reports that as the `salto_ks_user_not_subscribed` warning. A user without a
/// schedule is subscribed from creation.
struct SaltoKSSubscription: Equatable {
    enum State: Equatable {
        case subscribed
        case beforeStart(Date)
        case afterEnd(Date)
    }

    let state: State

    init(schedule: ACSUserRecord.AccessSchedule?, now: Date) {
        guard let schedule else {
            state = .subscribed
            return
        }
        if now < schedule.startsAt {
            state = .beforeStart(schedule.startsAt)
        } else if let endsAt = schedule.endsAt, now >= endsAt {
            state = .afterEnd(endsAt)
        } else {
            state = .subscribed
        }
    }

    var isSubscribed: Bool { state == .subscribed }

    /// When the current unsubscribed stretch began, nil while subscribed.
    func unsubscribedSince(createdAt: Date) -> Date? {
        switch state {
        case .subscribed: nil
        case .beforeStart: createdAt
        case .afterEnd(let endsAt): endsAt
        }
    }

    var explanation: String {
        switch state {
        case .subscribed: "Salto KS user is subscribed."
        case .beforeStart(let startsAt): "Salto KS user is not subscribed until its access schedule starts at \(SeamTimestamp.format(startsAt))."
        case .afterEnd(let endsAt): "Salto KS user is not subscribed since its access schedule ended at \(SeamTimestamp.format(endsAt))."
        }
    }
}
