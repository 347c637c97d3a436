/// Why a row could not be provisioned, with what had been done before it stopped.
public struct ProvisioningFailure: Error, Sendable {
    public var step: ProvisioningStep
    /// The row's `error_code`: Seam's error type, a transport code, or one of KeyBatch's own.
    public var code: ErrorCode
    public var message: String
    public var isUnauthorized: Bool
    /// Seam no longer knows a resource the step named: the id is stale and the step can be redone.
    public var isNotFound: Bool
    public var progress: ProvisionedKeys

    public init(step: ProvisioningStep, code: ErrorCode, message: String, isUnauthorized: Bool = false, isNotFound: Bool = false,
                progress: ProvisionedKeys) {
        self.step = step
        self.code = code
        self.message = message
        self.isUnauthorized = isUnauthorized
        self.isNotFound = isNotFound
        self.progress = progress
    }
}
