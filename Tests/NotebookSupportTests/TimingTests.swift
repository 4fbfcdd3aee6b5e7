import NotebookSupport
import Quant
import Testing

@Suite struct TimingTests {
    @Test func fastestSecondsWarmsUpThenTimesEachRepeat() {
        var calls = 0
        let seconds = fastestSeconds(repeats: 3) { calls += 1 }
        #expect(calls == 4, "one warm-up run, then three timed ones")
        #expect(seconds >= 0 && seconds.isFinite)
        calls = 0
        _ = fastestSeconds(repeats: 0) { calls += 1 }
        #expect(calls == 2, "at least one timed run")
    }
}
