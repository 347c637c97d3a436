/// How far a step may trust the state file about what Seam holds for a reservation.
///
/// Named, rather than "no progress" versus "empty progress", because the two mean opposite things:
/// with nothing to trust every resource is looked up by its natural key before anything is made;
/// with a trusted record, what it says exists is used as it is and what it says is absent is made.
public enum StateKnowledge: Sendable, Hashable {
    /// No state file (`--no-state`): every step looks Seam up first.
    case lookUpEverything
    /// What the state file recorded; `KnownProgress` marks any create it cannot vouch for.
    case trusted(KnownProgress)

    /// The trusted record, if there is one.
    public var known: KnownProgress? {
        if case .trusted(let known) = self { return known }
        return nil
    }

    /// The ids known so far (none when everything is looked up).
    public var keys: ProvisionedKeys { known?.keys ?? ProvisionedKeys() }
}
