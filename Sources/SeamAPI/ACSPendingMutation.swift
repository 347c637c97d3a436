/// An entry of `acs_user.pending_mutations`: a change Seam has not yet pushed to the ACS
/// (`creating`, `updating_access_schedule`, `updating_group_membership`, …).
public struct ACSPendingMutation: Decodable, Sendable, Equatable {
    public var mutationCode: String?
    public var message: String?
    public var createdAt: String?

    public init(mutationCode: String?, message: String? = nil, createdAt: String? = nil) {
        self.mutationCode = mutationCode
        self.message = message
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case mutationCode = "mutation_code"
        case message
        case createdAt = "created_at"
    }
}
