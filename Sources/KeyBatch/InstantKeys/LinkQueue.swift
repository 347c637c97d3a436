/// `keybatch links`' rows between reading and writing, as a value: rows in, in file order; the
/// guests to ask a link for out, one request per user identity however many rows it has; answers
/// in; rows out again in file order, each with its guest's answer. No clock, no tasks, no I/O:
/// `LinksRun` performs what it says.
///
/// Rows wait here only until their guest's answer is in, so the file streams: the run reads ahead
/// while fewer than its read-ahead are held, and a row that needs no link leaves as soon as every
/// row before it has. A guest's answer is kept for the whole run (a guest's rows may lie anywhere
/// in the file, and each shares the one link).
struct LinkQueue {
    /// A line of the results file on its way through.
    struct Row {
        /// The results file's line, for messages.
        var line: Int
        var fields: [String]
        /// The user identity the row asks a link for; nil when it is copied as it is.
        var identity: String?
        /// The line did not read as a record of the file (a CSV issue): copied as recovered.
        var unreadable = false
    }

    /// A row leaving the queue, with what became of its link.
    struct Release {
        var row: Row
        /// Its guest's answer; nil when the row asked for none, or was not asked for because the
        /// run stopped first.
        var answer: Result<InstantKeyLink, ProvisioningFailure>?
    }

    private var rows: [Row] = []
    private var head = 0
    private var answers: [String: Result<InstantKeyLink, ProvisioningFailure>] = [:]
    /// Identities to ask, in the order their first row arrived (so the row at the head of the
    /// file is never starved by later ones).
    private var waiting: [String] = []
    private var waitingHead = 0
    private var queued: Set<String> = []
    private(set) var asking: Set<String> = []
    /// No more requests start; rows whose guest was never asked leave without a link.
    private(set) var isStopped = false
    /// Requests answered with a link: one per guest given one.
    private(set) var linksIssued = 0

    /// Rows held (read, not yet released).
    var held: Int { rows.count - head }
    var isEmpty: Bool { held == 0 }

    /// Whether a row of `identity` added now starts a request: the first row of a guest not asked
    /// for yet, unless the run is stopping.
    func asksFor(_ identity: String) -> Bool {
        !isStopped && answers[identity] == nil && !queued.contains(identity)
    }

    mutating func add(_ row: Row) {
        if let identity = row.identity, asksFor(identity) {
            queued.insert(identity)
            waiting.append(identity)
        }
        rows.append(row)
    }

    /// The next guest to ask, when fewer than `limit` requests are in flight.
    mutating func nextToAsk(limit: Int) -> String? {
        guard !isStopped, asking.count < limit, waitingHead < waiting.count else { return nil }
        let identity = waiting[waitingHead]
        waitingHead += 1
        if waitingHead > 1024, waitingHead * 2 > waiting.count {
            waiting.removeFirst(waitingHead)
            waitingHead = 0
        }
        asking.insert(identity)
        return identity
    }

    /// A request ended: its answer, or nil when there is none to keep (cancelled by a stop).
    mutating func answered(_ identity: String, _ answer: Result<InstantKeyLink, ProvisioningFailure>?) {
        asking.remove(identity)
        queued.remove(identity)
        guard let answer else { return }
        answers[identity] = answer
        if case .success = answer { linksIssued += 1 }
    }

    /// Stop asking (Ctrl-C, a 401, Seam out of reach): requests in flight still answer; rows of
    /// guests not asked yet leave without a link.
    mutating func stop() {
        isStopped = true
        waiting.removeAll()
        waitingHead = 0
    }

    /// The rows at the head of the file that may leave now, in order.
    mutating func release() -> [Release] {
        var released: [Release] = []
        while head < rows.count {
            let row = rows[head]
            if let identity = row.identity {
                if let answer = answers[identity] {
                    released.append(Release(row: row, answer: answer))
                } else if isStopped && !asking.contains(identity) {
                    released.append(Release(row: row, answer: nil))
                } else {
                    break
                }
            } else {
                released.append(Release(row: row, answer: nil))
            }
            head += 1
        }
        if head > 1024, head * 2 > rows.count {
            rows.removeFirst(head)
            head = 0
        }
        return released
    }
}
