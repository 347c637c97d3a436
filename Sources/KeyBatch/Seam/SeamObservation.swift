/// What one sweep of Seam showed for a reservation the state file knows (`provision --verify`).
public enum SeamObservation: Sendable, Hashable {
    /// No ACS user for it on its system: not by the id the state recorded, nor (for a record
    /// holding no id) by its name. A sweep is a snapshot, so this is never proof enough to create:
    /// the provisioner still looks the user up by natural key first.
    case absent
    /// Its ACS user, with the keys on it and the access groups it is in.
    case present(ACSUserState, keys: [CredentialState], groups: Set<String>)
}
