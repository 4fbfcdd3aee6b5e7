import Testing
import TestSupport

/// The shared closeness assertion passes within tolerance and records an
/// issue outside it.
@Suite struct ExpectCloseTests {
    @Test func withinToleranceRecordsNothing() {
        expectClose([1.0, 100.0], [1.0 + 1e-9, 101.0], rtol: 0.01, atol: 1e-8)
        expectClose(Float(0.5), 0.5)
        expectClose([Double.infinity], [.infinity])
        expectClose(2.0, 2.1, atol: 0.1 + 1e-12)
    }

    @Test func outsideToleranceRecordsAnIssue() {
        withKnownIssue("one value is 1 % off with rtol 0.1 %") {
            expectClose([1.0, 2.0, 3.0], [1.0, 2.0, 3.03], rtol: 1e-3)
        }
        withKnownIssue("different counts") {
            expectClose([1.0, 2.0], [1.0], atol: 1)
        }
        withKnownIssue("NaN matches nothing") {
            expectClose(Double.nan, .nan, atol: 1)
        }
        withKnownIssue("a scalar off by more than atol") {
            expectClose(1.0, 1.5, atol: 0.25)
        }
    }
}
