import Foundation
import Logging
import SeamSandbox
import Testing
@testable import KeyBatch

/// `--sync` revocations run through the same window as the file's rows: Ctrl-C with its drain
/// deadline, a 401 and `--max-failures` hold there too.
@Suite(.serialized) struct SyncWindowTests {
    static let rows = (1...6).map { "R-\($0),guest\($0)@example.com,,,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,confirmed" }

    /// A state holding six provisioned reservations, and a run over a file that lists none of them.
    static func withSixToRevoke(_ body: (SandboxHarness, RecordingSeamOperations) async throws -> Void) async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let seam = RecordingSeamOperations(catalog: try ListingCatalog.load(path: SandboxHarness.samplesListings))
            let (first, _) = try await sandbox.provision(ReservationFixtures.file(rows), operations: seam)
            #expect(first.summary.count(.provisioned) == 6)
            seam.resetCalls()
            try await body(sandbox, seam)
        }
    }

    static let noRows = ReservationFixtures.file([])

    @Test func aStopDuringSyncDrainsWithinTheDeadline() async throws {
        try await Self.withSixToRevoke { sandbox, seam in
            seam.hang(.deleteACSUser)
            let stop = StopSignal()
            // Ctrl-C once both revocations in flight are held by Seam, however slow the machine.
            let stopper = Task {
                while seam.calls.filter({ $0 == .deleteACSUser }).count < 2 { try await Task.sleep(for: .milliseconds(20)) }
                stop.request()
            }
            defer { stopper.cancel() }
            // Without the deadline the two held deletions would wait for Seam's answer for an hour:
            // the run is given 20 s (scaled), and fails the test, not hangs it, past them.
            let (report, results) = try await TestTiming.withDeadline(.seconds(20), "the stopped sync run") {
                try await sandbox.provision(
                    Self.noRows, options: ProvisioningOptions(concurrency: 2, drainDeadline: .milliseconds(500), sync: true, maxRevocations: 10),
                    stop: stop, operations: seam)
            }
            #expect(report.outcome == .interrupted)
            #expect(results.count == 6)
            #expect(results.filter { $0["status"] == "failed" }.map { $0["error_code"] } == ["interrupted", "interrupted"])
            #expect(results.filter { $0["status"] == "not_started" }.count == 4)
            #expect(seam.calls.filter { $0 == .deleteACSUser }.count == 2)
            #expect(seam.users.count == 6)
        }
    }

    /// The listings check runs before any row is sent, outside the window's tasks: a stop must
    /// cut it short too (a check waiting out a long `Retry-After` once held Ctrl-C for 100 s).
    @Test(.timeLimit(.minutes(1))) func aStopDuringTheListingsCheckEndsTheRunAtOnce() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let seam = RecordingSeamOperations(catalog: try ListingCatalog.load(path: SandboxHarness.samplesListings))
            seam.hang(.acsSystem)
            let stop = StopSignal()
            Task {
                while !seam.calls.contains(.acsSystem) { try await Task.sleep(for: .milliseconds(20)) }
                stop.request()
            }
            let clock = ContinuousClock()
            let started = clock.now
            let (report, results) = try await sandbox.provision(
                ReservationFixtures.file(Self.rows), options: ProvisioningOptions(concurrency: 2, drainDeadline: .seconds(30)),
                stop: stop, operations: seam)
            // The hung check would hold the run for an hour, and the drain deadline for 30 s.
            #expect(clock.now - started < .seconds(20))
            #expect(report.outcome == .interrupted)
            #expect(results.map { $0["status"]! } == Array(repeating: "not_started", count: 6))
            #expect(!seam.calls.contains(.createACSUser))
        }
    }

    static var unreachable: SeamOperationError {
        var error = SeamOperationError(code: SeamCode("connection_failed"), message: "could not connect: Connection refused")
        error.neverReachedSeam = true
        return error
    }

    /// Rows whose calls could not connect after the client's retries, three in a row, stop the
    /// run (exit 2): the rest would wait out the same timeouts, hours for a night's file.
    @Test func rowsThatCannotReachSeamStopTheRun() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let seam = RecordingSeamOperations(catalog: try ListingCatalog.load(path: SandboxHarness.samplesListings))
            seam.fail(.findUserIdentity, with: Self.unreachable)
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(Self.rows),
                                                                options: ProvisioningOptions(concurrency: 1), operations: seam)
            #expect(report.outcome == .unreachable(message: "user_identity: could not connect: Connection refused"))
            #expect(results.map { $0["status"]! } == Array(repeating: "failed", count: 3) + Array(repeating: "not_started", count: 3))
            #expect(seam.calls.filter { $0 == .findUserIdentity }.count == 3)
        }
    }

    /// A short outage fails a row or two and passes: the run goes on.
    @Test func aShortOutageDoesNotStopTheRun() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            let seam = RecordingSeamOperations(catalog: try ListingCatalog.load(path: SandboxHarness.samplesListings))
            seam.fail(.findUserIdentity, with: Self.unreachable, times: 2)
            let (report, results) = try await sandbox.provision(ReservationFixtures.file(Self.rows),
                                                                options: ProvisioningOptions(concurrency: 1), operations: seam)
            #expect(report.outcome == .completed)
            #expect(results.map { $0["status"]! } == ["failed", "failed", "provisioned", "provisioned", "provisioned", "provisioned"])
        }
    }

    /// The same when the only calls are re-checks of rows an earlier run left pending (no listing
    /// check runs then): the run stops instead of asking again until `--confirm-timeout`.
    @Test func pendingRowsThatCannotBeCheckedStopTheRun() async throws {
        try await SandboxHarness.withSandbox { sandbox in
            sandbox.server.controls.setProviderBehavior(ProviderBehavior(syncDelay: 30))
            let file = ReservationFixtures.file(Self.rows)
            let (first, _) = try await sandbox.provision(file, options: ProvisioningOptions(confirmTimeout: .zero))
            #expect(first.summary.count(.pending) == 6)
            let seam = RecordingSeamOperations(catalog: try ListingCatalog.load(path: SandboxHarness.samplesListings))
            for call in [RecordingSeamOperations.Call.acsUserState, .acsUserStates, .credentialState, .credentialStates] {
                seam.fail(call, with: Self.unreachable)
            }
            let clock = ContinuousClock()
            let started = clock.now
            let (report, results) = try await sandbox.provision(file, options: ProvisioningOptions(confirmTimeout: .seconds(60)), operations: seam)
            #expect(clock.now - started < .seconds(30))  // not the 60 s of --confirm-timeout
            #expect(report.outcome == .unreachable(message: "could not connect: Connection refused"))
            #expect(results.map { $0["status"]! } == Array(repeating: "pending", count: 6))
        }
    }

    /// A 401 whose body names another type (the window goes by the flag, not a string) stops
    /// the revocations and cancels the one Seam is holding.
    @Test func aRefusedKeyDuringSyncStopsTheRevocationsAndCancelsTheRest() async throws {
        try await Self.withSixToRevoke { sandbox, seam in
            seam.fail(.deleteCredential, with: SeamOperationError(code: SeamCode("invalid_api_key"), message: "401: key revoked", isUnauthorized: true), times: 1)
            seam.hang(.deleteACSUser)
            let (report, results) = try await sandbox.provision(
                Self.noRows, options: ProvisioningOptions(concurrency: 2, sync: true, maxRevocations: 10), operations: seam)
            #expect(report.outcome == .unauthorized(message: "revoke: 401: key revoked"))
            #expect(results.map { $0["status"]! }.sorted() == ["failed", "failed"] + Array(repeating: "not_started", count: 4))
            #expect(Set(results.compactMap { $0["error_code"] }.filter { !$0.isEmpty }) == ["invalid_api_key", "interrupted"])
            #expect(seam.calls.filter { $0 == .deleteCredential }.count == 2)
        }
    }

    @Test func theFailureBudgetHoldsDuringSync() async throws {
        try await Self.withSixToRevoke { sandbox, seam in
            seam.fail(.deleteACSUser, with: SeamOperationError(code: SeamCode("failed_to_delete_on_acs_system"), message: "the site refused"))
            let (report, results) = try await sandbox.provision(
                Self.noRows, options: ProvisioningOptions(concurrency: 1, failureBudget: .count(1), sync: true, maxRevocations: 10),
                operations: seam)
            guard case .aborted = report.outcome else {
                Issue.record("expected aborted, got \(report.outcome)")
                return
            }
            #expect(results.map { $0["status"]! } == ["failed", "failed"] + Array(repeating: "not_started", count: 4))
            #expect(seam.calls.filter { $0 == .deleteACSUser }.count == 2)
        }
    }

    @Test func theFailureBudgetCountsAcrossBothPasses() async throws {
        try await Self.withSixToRevoke { sandbox, seam in
            // One row of the file fails, then the first revocation: two failures, more than one allowed.
            seam.fail(.createACSUser, with: SeamOperationError(code: SeamCode("invalid_input"), message: "refused"), times: 1)
            seam.fail(.deleteACSUser, with: SeamOperationError(code: SeamCode("failed_to_delete_on_acs_system"), message: "refused"))
            let file = ReservationFixtures.file(["N-1,new@example.com,,,A-101,2027-03-01T15:00:00Z,2027-03-04T11:00:00Z,confirmed"])
            let (report, results) = try await sandbox.provision(
                file, options: ProvisioningOptions(concurrency: 1, failureBudget: .count(1), sync: true, maxRevocations: 10), operations: seam)
            guard case .aborted = report.outcome else {
                Issue.record("expected aborted, got \(report.outcome)")
                return
            }
            #expect(results.map { $0["status"]! } == ["failed", "failed"] + Array(repeating: "not_started", count: 5))
        }
    }
}
