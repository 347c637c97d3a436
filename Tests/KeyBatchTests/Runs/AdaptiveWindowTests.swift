import Foundation
import SeamSandbox
import Testing
@testable import KeyBatch

/// The adaptive window in a real run against the sandbox: how many rows are in flight, seen
/// through the run's progress board.
@Suite struct AdaptiveWindowTests {
    /// At 300 ms a call a row takes about two seconds (its six calls one after another); at 100
    /// calls/s about 40 rows must be in flight. The window (which starts at 8) has grown past its
    /// start before any row has finished: it looks at Seam's pace on a timer, not as rows end.
    @Test func theWindowGrowsBeforeTheFirstRowFinishes() async throws {
        try await SandboxHarness.withSandbox(rate: 100, burst: 20) { harness in
            harness.server.controls.setLatency(LatencyRule(fixedMilliseconds: 300))
            let board = RunProgressBoard()
            let input = InputOptions(reservationsPath: try harness.directory.write("reservations.csv",
                                                                                   ReservationFixtures.file(ReservationFixtures.rows(count: 60, guests: 60))),
                                     listingsPath: SandboxHarness.samplesListings)
            let run = ProvisioningRun(input: input, resultsPath: harness.directory.path("results.csv"),
                                      options: ProvisioningOptions(concurrency: 64, adaptiveConcurrency: true),
                                      operations: SeamOperationsClient(client: harness.client), state: nil, board: board, logger: .silent)
            let watcher = Task {
                var before = 0  // most rows in flight while none had finished
                var peak = 0
                while !Task.isCancelled {
                    let now = board.current
                    if now.rowsWritten == 0 && now.awaitingSite == 0 { before = max(before, now.inFlight) }
                    peak = max(peak, now.inFlight)
                    try? await Task.sleep(for: .milliseconds(20))
                }
                return (before, peak)
            }
            let report = try await run.run()
            watcher.cancel()
            let (before, peak) = await watcher.value
            #expect(report.summary.count(.provisioned) == 60)
            #expect(before > 8, "rows in flight before the first finished: \(before)")
            #expect(peak <= 64)
        }
    }
}
