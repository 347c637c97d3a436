import Foundation
import Testing
@testable import SeamSandbox

/// The heavy-tailed latency profile: its quantiles, its bounds, and its HTTP control.
@Suite struct LatencyProfileTests {
    @Test func theProfileHasTheMedianAndP95AskedAndStaysBounded() {
        let rule = LatencyRule.heavyTailed(medianMilliseconds: 400, p95Milliseconds: 1500)
        #expect(abs(rule.delayMilliseconds(random: 0.5) - 400) < 1e-6)
        #expect(abs(rule.delayMilliseconds(random: 0.95) - 1500) < 1e-6)
        #expect(rule.delayMilliseconds(random: 0.05) < 400 && rule.delayMilliseconds(random: 0.99) > 1500)
        for random in [0.0, 1.0, 0.999_999_999_9] {
            let delay = rule.delayMilliseconds(random: random)
            #expect(delay.isFinite && delay >= 0 && delay <= LatencyRule.maximumMilliseconds)
        }
    }

    @Test func theHTTPControlTakesTheProfileAndRefusesNonsense() async throws {
        try await withSandbox { client in
            let oneOnly = try await client.admin("/_sandbox/latency", ["median_ms": 20])
            #expect(oneOnly.status == 400)
            let backwards = try await client.admin("/_sandbox/latency", ["median_ms": 50, "p95_ms": 40])
            #expect(backwards.status == 400)
            let good = try await client.admin("/_sandbox/latency", ["median_ms": 20, "p95_ms": 60, "route": "/acs/systems/list"])
            #expect(good.status == 200)
            #expect(client.controls.latency(for: "/acs/systems/list") == .heavyTailed(medianMilliseconds: 20, p95Milliseconds: 60))
        }
    }
}
