import Foundation
import NotebookSupport

/// One named measurement that `quant-bench` can run.
///
/// A benchmark returns one or more results; each is printed as one JSON
/// object per line, so that scripts can compare runs and machines:
/// `{"name": "affine_qdq_8bit", "value": 1234.5, "unit": "M elements/s", ...}`.
struct Benchmark: Sendable {
    /// The name used by `--filter` (a substring match) and in the output.
    let name: String
    /// Runs the measurement and returns what it measured.
    let run: @Sendable (BenchmarkContext) throws -> [BenchmarkResult]
}

/// What a benchmark may need from the command line.
struct BenchmarkContext: Sendable {
    /// A Python interpreter with NumPy/PyTorch/matplotlib, for measuring the
    /// peers in the same run; `nil` skips those comparisons.
    let python: String?
}

/// One line of `quant-bench` output.
struct BenchmarkResult: Encodable, Sendable {
    let name: String
    let value: Double
    let unit: String
    /// Extra fields (ratios, sizes, peer measurements), flattened into the line.
    var details: [String: Detail] = [:]

    enum Detail: Encodable, Sendable {
        case number(Double)
        case text(String)

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .number(let x): try container.encode(x)
            case .text(let s): try container.encode(s)
            }
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(name, forKey: Key("name"))
        try container.encode(value, forKey: Key("value"))
        try container.encode(unit, forKey: Key("unit"))
        for (key, detail) in details { try container.encode(detail, forKey: Key(key)) }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Fastest per-call time of a short call: calls are grouped into samples of
/// ≥ 0.5 ms (a batch-1 call takes microseconds), and the fastest of up to 100
/// samples (3 for a slow call) is the least disturbed by other processes.
/// The Python peers (Scripts/bench_torch_qlinear.py, bench_ort_lowbit.py)
/// time their side the same way.
func fastestSecondsPerCall(_ body: () throws -> Void) rethrows -> Double {
    var calls = 1
    while true {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<calls { try body() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if seconds >= 0.0005 || calls >= 1 << 20 {
            let repeats = seconds > 0.05 ? 3 : 100
            return try fastestSeconds(repeats: repeats) { for _ in 0..<calls { try body() } } / Double(calls)
        }
        calls *= 2
    }
}

/// How many times a benchmark with a peer runs the peer, then ours, in
/// turn (with `--python`); each side keeps its fastest. This machine is
/// shared, and a slow spell lasting seconds would otherwise decide a ratio.
let peerRounds = 3

extension Dictionary where Key == String, Value == Double {
    /// Keeps the smaller of the stored and the new time.
    mutating func keepFastest(_ key: String, _ seconds: Double) {
        self[key] = Swift.min(self[key] ?? .infinity, seconds)
    }
}
