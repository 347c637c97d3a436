import Logging

extension LogHandler {
    /// The fields of one log line, as every KeyBatch handler writes them: the metadata provider's
    /// (the row being worked on, `RowLogContext`), then the handler's own, then the line's, a
    /// later one winning on the same key.
    public func fields(of event: LogEvent) -> Logger.Metadata {
        var fields = metadataProvider?.get() ?? [:]
        fields.merge(metadata) { $1 }
        fields.merge(event.metadata ?? [:]) { $1 }
        return fields
    }
}
