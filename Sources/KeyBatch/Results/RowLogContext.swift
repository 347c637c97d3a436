import Logging

/// The input row a task is working on, so that every log line written on its behalf (a Seam
/// call, a retry, a lookup several layers down in SeamAPI, which knows nothing of rows) carries
/// the row's `line` and `reservation_id` without each layer passing them along.
///
/// A task-local value read by a swift-log metadata provider: the standard way to attach
/// context to log lines across module boundaries. The CLI installs `metadataProvider` when it
/// bootstraps logging; `ProvisioningRun` binds `row` around each row's work.
public enum RowLogContext {
    @TaskLocal public static var row: ValidatedRow.Identity?

    /// Metadata of a row: the keys every line about a row carries, for text and JSON logs alike.
    public static func metadata(of row: ValidatedRow.Identity) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["reservation_id": .string(row.reservationID)]
        // Line 0 is a revocation of a reservation the file no longer lists: no line to name.
        if row.line > 0 { metadata["line"] = .stringConvertible(row.line) }
        return metadata
    }

    /// Adds the current task's row (if any) to every log line.
    public static let metadataProvider = Logger.MetadataProvider {
        row.map(metadata(of:)) ?? [:]
    }
}
