/// Why a row could not be provisioned, with what had been done before it stopped.
public struct ProvisioningFailure: Error, Sendable {
    public var step: ProvisioningStep
    /// The row's `error_code`: Seam's error type, a transport code, or one of KeyBatch's own.
    public var code: ErrorCode
    public var message: String
    public var isUnauthorized: Bool
    /// Seam no longer knows a resource the step named: the id is stale and the step can be redone.
    public var isNotFound: Bool
    /// No connection to Seam could be made, after the client's retries (this call sent nothing):
    /// the run stops, as it does for a 401.
    public var isUnreachable = false
    /// Seam accepted the connection but never answered, on every attempt, until the client gave
    /// up (`SeamError.noAnswerOnAnyAttempt`): as hopeless for later rows as `isUnreachable`,
    /// though a create may have landed (its row is looked up by natural key next run). Kept apart
    /// from `isUnreachable` so the run decides whether to stop on it.
    public var isUnanswered = false
    public var progress: ProvisionedKeys
    /// The `seam-request-id` of the answer that failed the step, when Seam answered.
    public var seamRequestID: String?

    /// A not-found naming one of the row's own resources (its identity, ACS user or key): the id
    /// the state trusted is stale, and redoing the row by natural key heals it. A missing access
    /// group or system is not: it is the listing that is wrong, and a redo would fail the same way.
    public var isStaleID: Bool {
        guard isNotFound else { return false }
        switch code {
        case .seam(let seam): return !seam.namesListingResource
        case .run(.unknownAccessGroup), .run(.unknownACSSystem), .run(.unsupportedACSSystem), .run(.accessGroupsNotHeld): return false
        default: return true
        }
    }

    public init(step: ProvisioningStep, code: ErrorCode, message: String, isUnauthorized: Bool = false, isNotFound: Bool = false,
                progress: ProvisionedKeys) {
        self.step = step
        self.code = code
        self.message = message
        self.isUnauthorized = isUnauthorized
        self.isNotFound = isNotFound
        self.progress = progress
    }

    /// A call's error as a failure, one rule for every caller: a `SeamOperationError` keeps Seam's
    /// code and says whether it was a 401, a not-found or no connection at all (after the client's
    /// retries: no later row would fare better, so the run stops rather than let every row wait
    /// out the same timeouts); a cancellation means the run stopped before Seam answered.
    /// `context` starts the message (the step, or what was being checked).
    public init(step: ProvisioningStep, error: any Error, context: String, progress: ProvisionedKeys) {
        switch error {
        case let failure as ProvisioningFailure:
            self = failure
        case let error as SeamOperationError:
            self.init(step: step, code: .seam(error.code), message: "\(context): \(error.message)", isUnauthorized: error.isUnauthorized,
                      isNotFound: error.isNotFound, progress: progress)
            isUnreachable = error.neverReachedSeam
            isUnanswered = error.noAnswerOnAnyAttempt
            seamRequestID = error.requestID
        case is CancellationError:
            self.init(step: step, code: .run(.interrupted), message: "\(context): stopped before Seam answered", progress: progress)
        default:
            self.init(step: step, code: .run(.internalError), message: "\(context): \(error)", progress: progress)
        }
    }
}

extension ProvisioningFailure: CustomStringConvertible {
    public var description: String { message }
}
