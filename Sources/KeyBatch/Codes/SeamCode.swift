/// A code Seam (or the transport under it) gives: an error type (`acs_user_not_found`), an entry of
/// a resource's `errors` (`failed_to_delete_on_acs_system`) or a transport code (`timeout`).
///
/// The codes KeyBatch acts on are cases, so a rule names its code once and a misspelling does not
/// compile; every other code is `unknown`, kept as Seam spelled it. `SeamCode(text).description`
/// gives `text` back byte for byte: the code goes unchanged to the results file, the state file
/// and the logs, where scripts match on Seam's spelling.
public enum SeamCode: Sendable, Hashable, CustomStringConvertible {
    /// The row's user identity is gone from Seam (deleted in the console, or a stale id).
    case userIdentityNotFound
    /// The row's ACS user is gone from Seam.
    case acsUserNotFound
    /// The row's key is gone from Seam.
    case acsCredentialNotFound
    /// An access group the listing names is not in Seam: the listing is wrong, not the row's ids.
    case acsAccessGroupNotFound
    /// The listing's ACS system is not in Seam: the listing is wrong, not the row's ids.
    case acsSystemNotFound
    /// The site refused to delete an ACS user (the user stays, the error on it says so).
    case failedToDeleteOnACSSystem
    /// The Salto KS site has no subscription slot left: it stops creating users, nothing else.
    case saltoKSSubscriptionLimitExceeded
    /// A warning: Seam accepted the resource's deletion and has not finished it.
    case beingDeleted
    /// Any other code, exactly as given.
    case unknown(String)

    private static let known: [SeamCode] = [
        .userIdentityNotFound, .acsUserNotFound, .acsCredentialNotFound, .acsAccessGroupNotFound, .acsSystemNotFound,
        .failedToDeleteOnACSSystem, .saltoKSSubscriptionLimitExceeded, .beingDeleted,
    ]
    private static let byText: [String: SeamCode] = Dictionary(uniqueKeysWithValues: known.map { ($0.description, $0) })

    /// The code Seam spelled `text`: a known case when there is one, so `unknown` never holds a
    /// known code's text and two codes of the same text are always equal.
    public init(_ text: String) {
        self = Self.byText[text] ?? .unknown(text)
    }

    /// Seam's spelling, as it came.
    public var description: String {
        switch self {
        case .userIdentityNotFound: "user_identity_not_found"
        case .acsUserNotFound: "acs_user_not_found"
        case .acsCredentialNotFound: "acs_credential_not_found"
        case .acsAccessGroupNotFound: "acs_access_group_not_found"
        case .acsSystemNotFound: "acs_system_not_found"
        case .failedToDeleteOnACSSystem: "failed_to_delete_on_acs_system"
        case .saltoKSSubscriptionLimitExceeded: "salto_ks_subscription_limit_exceeded"
        case .beingDeleted: "being_deleted"
        case .unknown(let text): text
        }
    }

    /// Seam no longer knows a resource the call named. Seam's not-found types all end so
    /// (`<resource>_not_found`), including ones KeyBatch has no case for.
    public var isNotFound: Bool { description.hasSuffix("_not_found") }

    /// A code about a resource the listing names (its system or an access group) rather than one
    /// of the row's own: redoing the row by natural key would fail the same way. A code KeyBatch
    /// has no case for is judged by its text, as Seam names its types after the resource
    /// (`acs_access_group_not_found`): a new not-found of a group or system must not be taken
    /// for a stale id of the row's own.
    public var namesListingResource: Bool {
        switch self {
        case .acsAccessGroupNotFound, .acsSystemNotFound, .failedToDeleteOnACSSystem: true
        case .unknown(let text): text.contains("access_group") || text.contains("acs_system")
        default: false
        }
    }
}
