import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Typed client for the Seam Connect API (user identities, ACS users, credentials, systems, groups).
///
/// Owns one pooled `HTTPClient`; call ``shutdown()`` when done. Every call is a `POST` of a JSON
/// body to `<endpoint>/<path>` with `Authorization: Bearer <key>` (plus `seam-workspace` for a
/// personal access token), throttled by the shared ``SeamRateLimiter``, counted in
/// ``SeamClientStats`` and the task's ``SeamCallCounter``.
///
/// Retries: reads, updates and deletes follow the ``SeamRetryPolicy``. Creates are not idempotent
/// and Seam has no idempotency header, so the typed `create…` methods go through
/// ``createIdempotently(endpoint:create:lookup:)``, which looks the resource up after an ambiguous
/// failure before creating again.
public final class SeamClient: Sendable {
    public let configuration: SeamConfiguration
    public let rateLimiter: SeamRateLimiter
    public let retryPolicy: any SeamRetryPolicy
    public let stats: SeamClientStats
    private let httpClient: HTTPClient
    private let logger: Logger
    private let redactor: SeamSecretRedactor
    /// Largest response body accepted (a 500-item page of ACS users is well under 2 MB).
    private static let maximumResponseBytes = 32 * 1024 * 1024

    /// - Parameters:
    ///   - rateLimiter: share one instance between all clients of a run.
    ///   - maximumConnections: connection-pool size per host; match the job's concurrency.
    public init(
        configuration: SeamConfiguration,
        rateLimiter: SeamRateLimiter = SeamRateLimiter(),
        retryPolicy: any SeamRetryPolicy = ExponentialBackoffRetryPolicy(),
        stats: SeamClientStats = SeamClientStats(),
        logger: Logger = Logger(label: "keybatch.seam"),
        maximumConnections: Int = 16
    ) {
        self.configuration = configuration
        self.rateLimiter = rateLimiter
        self.retryPolicy = retryPolicy
        self.stats = stats
        self.logger = logger
        redactor = SeamSecretRedactor(secret: configuration.apiKey)
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.timeout = .init(
            connect: Self.timeAmount(configuration.connectTimeout),
            read: Self.timeAmount(configuration.requestTimeout)
        )
        httpConfiguration.connectionPool = .init(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, maximumConnections)
        )
        // A failed connect fails the attempt at once, and `retryPolicy` decides what follows.
        // With async-http-client's own retries (its default) a refused connection was tried
        // again and again until the connect timeout, for every attempt: 5 attempts of 10 s
        // against an endpoint nobody listens on, where one refusal already says it all.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        httpConfiguration.redirectConfiguration = .disallow
        httpConfiguration.decompression = .enabled(limit: .ratio(50))
        httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
    }

    /// Closes pooled connections. Must be called once before the client is released.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    // MARK: - Generic calls

    /// Sends `request`, retrying per the policy.
    ///
    /// - read/update: any retryable failure is retried.
    /// - delete: also, a 404 after an earlier ambiguous attempt means that attempt deleted it: success.
    /// - create: only failures that cannot have been applied (429, connect failures) are retried;
    ///   an ambiguous one is thrown, use ``createIdempotently(endpoint:create:lookup:)`` for those.
    public func send<Request: SeamRequest>(_ request: Request) async throws -> Request.Response {
        var attempt = 1
        var earlierAttemptWasAmbiguous = false
        var everyAttemptUnanswered = true
        while true {
            do {
                return try await Request.operation == .read ? sendHedged(request) : sendOnce(request)
            } catch var error as SeamError {
                if Request.operation == .delete, error.isNotFound, earlierAttemptWasAmbiguous,
                   let done = SeamOKResponse(ok: true) as? Request.Response {
                    logger.debug("Seam delete found nothing after an ambiguous attempt: treated as done",
                                 metadata: ["path": "\(Request.path)"])
                    return done
                }
                if Request.operation == .create && error.isAmbiguous { throw error }
                everyAttemptUnanswered = everyAttemptUnanswered && error.isUnanswered
                guard let delay = retryPolicy.retryDelay(after: error, attempt: attempt) else {
                    error.noAnswerOnAnyAttempt = everyAttemptUnanswered && error.isRetryable
                    throw error
                }
                earlierAttemptWasAmbiguous = earlierAttemptWasAmbiguous || error.isAmbiguous
                try await pauseBeforeRetry(delay, after: error, attempt: attempt)
                attempt += 1
            }
        }
    }

    /// Runs a non-idempotent create so that a retry does not create a duplicate.
    ///
    /// - Success: returned.
    /// - Ambiguous failure (timeout or drop after sending, 5xx, unreadable 2xx): after the backoff
    ///   `lookup` runs (it should use retried reads); if it finds the resource that is the result.
    ///   When no answer came, Seam may still be creating it: a miss then waits as long as it may
    ///   still take to land (`landingTime(after:)`) and looks once more (most unanswered creates
    ///   did land, and are found without the wait; one still on its way gets its time before a
    ///   retry could duplicate it). Otherwise the create is tried again.
    /// - Retryable, not ambiguous (429, connect failure): create again after the backoff.
    /// - A non-retryable failure after an earlier ambiguous attempt (e.g. a uniqueness conflict
    ///   because the first attempt did succeed): `lookup` once more; throws the failure if it finds nothing.
    /// - Anything else, or `maxAttempts` reached: thrown.
    ///
    /// A cut create's miss gets one early second look (most cut creates that were applied land
    /// within Seam's usual answer time) before the full landing wait. No create is sent again
    /// while it may still land, not even a user identity's: Seam keeps emails unique, but
    /// nothing says two creates carried out at the same moment cannot both pass that check.
    public func createIdempotently<Resource: Sendable>(
        endpoint: String,
        create: () async throws -> Resource,
        lookup: () async throws -> Resource?
    ) async throws -> Resource {
        var attempt = 1
        var earlierAttemptWasAmbiguous = false
        var everyAttemptUnanswered = true
        while true {
            do {
                return try await create()
            } catch var error as SeamError {
                everyAttemptUnanswered = everyAttemptUnanswered && error.isUnanswered
                guard let delay = retryPolicy.retryDelay(after: error, attempt: attempt) else {
                    if earlierAttemptWasAmbiguous || error.isAmbiguous, let found = try await runLookup(lookup, endpoint) {
                        return found
                    }
                    error.noAnswerOnAnyAttempt = everyAttemptUnanswered && error.isRetryable
                    throw error
                }
                try await pauseBeforeRetry(delay, after: error, attempt: attempt)
                if error.isAmbiguous {
                    earlierAttemptWasAmbiguous = true
                    if let found = try await runLookup(lookup, endpoint) { return found }
                    if error.mayStillLand {
                        // Not there yet, and it may still land: it gets its time before the last
                        // look, or the retry could make a second one.
                        var waited = delay
                        for look in landingLooks(after: error) where look > waited {
                            try await Task.sleep(for: .seconds(look - waited))
                            waited = look
                            if let found = try await runLookup(lookup, endpoint) { return found }
                        }
                    }
                }
                attempt += 1
            }
        }
    }

    /// A read is sent once more when its answer is slower than nineteen in twenty of Seam's
    /// recent answers (their p95, once twenty are known), and the first answer wins; the other is
    /// cancelled. Seam's latency is heavy-tailed: a listing in the run's last confirmation round
    /// was seen taking 4.9 s where most take 0.4, holding every row it confirms, and the results
    /// behind them, that long. A read changes nothing, so asking twice is harmless; it costs a
    /// call for about one read in twenty. Writes are never hedged.
    private func sendHedged<Request: SeamRequest>(_ request: Request) async throws -> Request.Response {
        let recent = stats.readAnswerTimes
        // Not against a Seam that has just left a call unanswered: a second copy would only
        // double the calls waiting on it.
        guard recent.count >= 20, let slow = recent.quantile(0.95), slow * 2 < configuration.requestTimeout,
              !stats.lastAttemptUnanswered else {
            return try await sendOnce(request)
        }
        let delay = max(0.2, slow)
        // The clock starts once the first copy has its token: time queued at the rate limiter is
        // not Seam's slowness, and a copy then would only queue behind it.
        let (sent, sending) = AsyncStream.makeStream(of: Void.self)
        return try await withThrowingTaskGroup(of: (copy: Int, response: Request.Response?).self) { group in
            group.addTask {
                defer { sending.finish() }
                return (0, try await self.sendOnce(request, onceAcquired: { sending.yield() }))
            }
            group.addTask {
                for await _ in sent { break }
                try await Task.sleep(for: .seconds(delay))
                return (-1, nil)
            }
            var inFlight = 1
            var errors: [any Error] = []
            var secondSentAt: ContinuousClock.Instant?
            defer { group.cancelAll() }
            while true {
                let next: (copy: Int, response: Request.Response?)?
                do {
                    next = try await group.next()
                } catch {
                    // A copy failed: before the second went out, that is the answer (the
                    // caller's retries take it from there); after, the other may still answer.
                    inFlight -= 1
                    errors.append(error)
                    if inFlight == 0 { throw Self.mostTelling(errors) }
                    continue
                }
                guard let next else { throw Self.mostTelling(errors) }
                if let response = next.response {
                    if next.copy == 1, inFlight == 2, let secondSentAt {
                        // The first copy is cut: its time so far keeps the quantile honest.
                        stats.recordCutRead(delay + (ContinuousClock.now - secondSentAt).inSeconds)
                    }
                    return response
                }
                // The timer: no answer yet, the read goes out again.
                logger.debug("Seam read slower than its recent p95: sent again", metadata: ["path": "\(Request.path)",
                                                                                             "after_s": "\(String(format: "%.3f", delay))"])
                secondSentAt = .now
                group.addTask { (1, try await self.sendOnce(request)) }
                inFlight += 1
            }
        }
    }

    /// Of two copies' failures, one that got an answer says more than one that got none (and
    /// must not make a Seam that answered look silent).
    private static func mostTelling(_ errors: [any Error]) -> any Error {
        errors.first { ($0 as? SeamError)?.isUnanswered == false } ?? errors.first ?? CancellationError()
    }

    /// One HTTP attempt: rate limit, POST, decode. Counts the call; a 429 pauses the shared limiter.
    /// `onceAcquired` runs when the rate limiter has let it go.
    public func sendOnce<Request: SeamRequest>(_ request: Request, onceAcquired: @Sendable () -> Void = {}) async throws -> Request.Response {
        let path = Request.path
        let body: Data
        do {
            body = try JSONEncoder().encode(request)
        } catch {
            throw SeamError(endpoint: path, kind: .undecodableResponse(status: 0, reason: "cannot encode request: \(error)"))
        }
        try await rateLimiter.acquire()
        onceAcquired()
        count { $0.httpCalls += 1 }

        var httpRequest = HTTPClientRequest(url: "\(configuration.endpoint)/\(path)")
        httpRequest.method = .POST
        httpRequest.headers.add(name: "Authorization", value: "Bearer \(configuration.apiKey)")
        if configuration.isPersonalAccessToken, let workspaceID = configuration.workspaceID {
            httpRequest.headers.add(name: "seam-workspace", value: workspaceID)
        }
        httpRequest.headers.add(name: "Content-Type", value: "application/json")
        httpRequest.headers.add(name: "Accept", value: "application/json")
        httpRequest.headers.add(name: "User-Agent", value: "keybatch-seamapi/1")
        httpRequest.body = .bytes(ByteBuffer(bytes: body))

        let started = ContinuousClock.now
        let status: Int
        let headers: HTTPHeaders
        let responseBody: ByteBuffer
        do {
            // One deadline for the whole attempt. async-http-client's own deadline ends once the
            // head has arrived, so the body is read against what is left of it: a Seam (or a
            // proxy) that sends headers and then trickles the body must not hold a call forever.
            let deadline = started + .seconds(configuration.requestTimeout)
            let response = try await httpClient.execute(httpRequest, deadline: NIODeadline.now() + Self.timeAmount(configuration.requestTimeout))
            status = Int(response.status.code)
            headers = response.headers
            responseBody = try await Self.collect(response.body, upTo: Self.maximumResponseBytes, before: deadline)
        } catch {
            if Task.isCancelled || error is CancellationError || (error as? HTTPClientError) == .cancelled {
                throw CancellationError()
            }
            let seamError = redacted(SeamTransportErrorClassifier.classify(error, endpoint: path))
            stats.recordService((ContinuousClock.now - started).inSeconds, answered: nil, unanswered: seamError.isUnanswered)
            logCall(path: path, status: nil, started: started, requestID: nil, outcome: seamError.type)
            throw seamError
        }

        let requestID = headers.first(name: "seam-request-id")
        let data = Data(responseBody.readableBytesView)
        stats.recordService((ContinuousClock.now - started).inSeconds, answered: status == 429 ? nil : Request.operation, unanswered: false)
        logCall(path: path, status: status, started: started, requestID: requestID, outcome: nil)

        guard (200..<300).contains(status) else {
            let retryAfter = RetryAfter.seconds(from: headers.first(name: "retry-after"), now: Date())
            if status == 429 {
                count { $0.rateLimited += 1 }
                await rateLimiter.record429(retryAfter: retryAfter)
            }
            throw redacted(SeamError.fromHTTPResponse(
                endpoint: path, status: status, body: data, requestID: requestID, retryAfter: retryAfter))
        }
        do {
            return try JSONDecoder().decode(Request.Response.self, from: data)
        } catch {
            throw redacted(SeamError(endpoint: path, kind: .undecodableResponse(status: status, reason: Self.describe(error)),
                                     requestID: requestID))
        }
    }

    // MARK: - Pagination

    /// Every item of a paginated listing (follows `page_cursor` while `has_next_page`).
    public func listAll<Request: SeamPaginatedRequest>(_ request: Request) async throws -> [Request.Item] {
        try await SeamPaginator.collectAll(endpoint: Request.path) { cursor in
            var pageRequest = request
            pageRequest.pageCursor = cursor
            return try await self.send(pageRequest)
        }
    }

    /// The pages of a paginated listing, fetched lazily.
    public func pages<Request: SeamPaginatedRequest>(_ request: Request) -> SeamPageSequence<Request.Item> {
        SeamPageSequence(endpoint: Request.path) { cursor in
            var pageRequest = request
            pageRequest.pageCursor = cursor
            return try await self.send(pageRequest)
        }
    }

    // MARK: - Internals

    /// The body, or `HTTPClientError.deadlineExceeded` (a timeout after sending, like any other)
    /// when `deadline` comes first. The read is raced against a timer in a task group; when the
    /// timer wins, the reading task is cancelled, which makes async-http-client drop the
    /// connection, so the trickle stops too.
    static func collect(_ body: HTTPClientResponse.Body, upTo limit: Int, before deadline: ContinuousClock.Instant) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw HTTPClientError.deadlineExceeded }
            guard let buffer = first else {
                // The timer won, unless the whole call was cancelled (then its sleep threw instead).
                throw HTTPClientError.deadlineExceeded
            }
            return buffer
        }
    }

    private func runLookup<Resource>(_ lookup: () async throws -> Resource?, _ endpoint: String) async throws -> Resource? {
        count { $0.ambiguousLookups += 1 }
        let found = try await lookup()
        logger.debug("Seam lookup after an ambiguous create", metadata: [
            "path": "\(endpoint)", "found": "\(found != nil)",
        ])
        return found
    }

    private func pauseBeforeRetry(_ delay: TimeInterval, after error: SeamError, attempt: Int) async throws {
        count { $0.retries += 1 }
        var metadata: Logger.Metadata = [
            "path": "\(error.endpoint)", "error": "\(error.type)", "attempt": .stringConvertible(attempt),
            "delay_s": "\(String(format: "%.3f", delay))",
        ]
        if let requestID = error.requestID { metadata["seam-request-id"] = "\(requestID)" }
        logger.debug("Seam call will be retried", metadata: metadata)
        if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
    }

    private func count(_ change: (inout SeamCallCounts) -> Void) {
        stats.update(change)
        SeamCallCounter.current?.update(change)
    }

    /// Belt and braces: Seam never echoes the key, but a proxy's error page or a transport error
    /// description could, escaped or not (`SeamSecretRedactor`); strip it before the error leaves
    /// the client. Every failed call's error passes here, so no message, log line or results row
    /// built from a `SeamError` can hold it.
    private func redacted(_ error: SeamError) -> SeamError {
        var copy = error
        switch error.kind {
        case .http(let status, let type, let message):
            copy.kind = .http(status: status, type: type, message: redactor.redact(message))
        case .connectionFailed(let sent, let reason):
            copy.kind = .connectionFailed(requestSent: sent, reason: redactor.redact(reason))
        case .undecodableResponse(let status, let reason):
            copy.kind = .undecodableResponse(status: status, reason: redactor.redact(reason))
        case .timeout:
            break
        }
        return copy
    }

    /// How long a create whose answer never came may still take to land at Seam: a timed-out one
    /// was already slower than the request timeout, so it gets that long again; a cut connection
    /// gets twice Seam's slow answers to changes of late (p99 of the last 256 writes, once twenty
    /// are known), at least a second and at most the request timeout.
    func landingTime(after error: SeamError) -> TimeInterval {
        let writes = stats.writeAnswerTimes
        if case .connectionFailed = error.kind, writes.count >= 20, let slow = writes.quantile(0.99) {
            return min(configuration.requestTimeout, max(1, 2 * slow))
        }
        return configuration.requestTimeout
    }

    /// When, after an unanswered create, a miss is looked for again (seconds after the failure):
    /// once Seam's usual answer to a change has passed (the p90 of recent writes, at least half a
    /// second; a create that was being carried out has most likely landed by then), and at the
    /// landing time. The early look costs one read and, when the create did land, saves the rest
    /// of the wait: at the end of a run that wait is time nothing else fills.
    func landingLooks(after error: SeamError) -> [TimeInterval] {
        let landing = landingTime(after: error)
        let writes = stats.writeAnswerTimes
        guard case .connectionFailed = error.kind, writes.count >= 20, let usual = writes.quantile(0.9) else { return [landing] }
        let early = max(0.5, usual)
        return early < landing / 2 ? [early, landing] : [landing]
    }

    private func logCall(path: String, status: Int?, started: ContinuousClock.Instant, requestID: String?, outcome: String?) {
        let elapsed = started.duration(to: .now)
        let milliseconds = elapsed.inSeconds * 1000
        var metadata: Logger.Metadata = [
            "method": "POST",
            "path": "\(path)",
            "duration_ms": .stringConvertible(Int(milliseconds.rounded())),
        ]
        if let status { metadata["status"] = .stringConvertible(status) }
        if let requestID { metadata["seam-request-id"] = "\(requestID)" }
        if let outcome { metadata["error"] = "\(outcome)" }
        logger.debug("Seam call", metadata: metadata)
    }

    private static func timeAmount(_ seconds: TimeInterval) -> TimeAmount {
        .nanoseconds(Int64((max(seconds, 0.001) * 1e9).rounded()))
    }

    private static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return String(describing: error) }
        switch decodingError {
        case .keyNotFound(let key, let context):
            return "missing \(Self.pathString(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(Self.pathString(context.codingPath))"
        case .dataCorrupted(let context):
            return "invalid JSON at \(Self.pathString(context.codingPath))"
        @unknown default:
            return "undecodable body"
        }
    }

    private static func pathString(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "<root>" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
