/// The steps of Seam's Salto KS mobile-key flow, in order; named in errors and in the state journal.
public enum ProvisioningStep: String, Sendable, CaseIterable, Codable {
    case userIdentity = "user_identity"
    case acsUser = "acs_user"
    case accessGroups = "access_groups"
    case credential
    case revoke
    /// `--verify`: reading what Seam holds before trusting the state.
    case verify
    /// `--instant-keys`: a link for a row already provisioned (never fails the row).
    case instantKey = "instant_key"
    /// Not a Seam step: writing the state file failed.
    case stateFile = "state_file"
}
