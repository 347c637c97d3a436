import CSV

/// Results line endings, re-exported so callers of KeyBatch need not import the CSV module.
public typealias CSVLineEnding = CSVWriter.LineEnding
