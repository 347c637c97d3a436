/// Why a row could not be provisioned, with what had been done before it stopped.
public struct ProvisioningFailure: Error, Sendable {
    public var step: ProvisioningStep
    /// The row's `error_code`: Seam's error type, a transport code, or one of KeyBatch's own.
    public var code: ErrorCode
    public var message: String
    public var isUnauthorized: Bool
    public var progress: ProvisionedKeys

    public init(step: ProvisioningStep, code: ErrorCode, message: String, isUnauthorized: Bool = false, progress: ProvisionedKeys) {
        self.step = step
        self.code = code
        self.message = message
        self.isUnauthorized = isUnauthorized
        self.progress = progress
    }
}
