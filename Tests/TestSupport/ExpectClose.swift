import Testing

/// Expects `actual` to match `expected` element by element within
/// `atol + rtol·|expected|` (NumPy's `isclose`; equal infinities match, NaN
/// matches nothing), and records one issue at the caller's line that says
/// how many elements are off and shows the worst, instead of one `#expect`
/// per element.
///
/// ```swift
/// expectClose(adam.parameters, [0.998, -0.5], atol: 1e-6)
/// expectClose(sqnr.dropFirst(), expectedSQNR, rtol: 0.01, "SQNR per bit")
/// ```
public func expectClose<Actual: Collection, Expected: Collection>(
    _ actual: Actual, _ expected: Expected, rtol: Double = 0, atol: Double = 0, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) where Actual.Element: BinaryFloatingPoint, Expected.Element == Actual.Element {
    let a = actual.map { Double($0) }, b = expected.map { Double($0) }
    let note = comment.map { " (\($0))" } ?? ""
    guard a.count == b.count else {
        Issue.record("\(a.count) values, expected \(b.count)\(note)", sourceLocation: sourceLocation)
        return
    }
    let off = a.indices.filter { !isClose(a[$0], b[$0], rtol: rtol, atol: atol) }
    guard let worst = off.max(by: { excess(a[$0], b[$0], rtol: rtol, atol: atol) < excess(a[$1], b[$1], rtol: rtol, atol: atol) }) else {
        return
    }
    Issue.record("""
        \(off.count) of \(a.count) values not within atol \(atol) + rtol \(rtol)·|expected|\(note); \
        worst at [\(worst)]: \(a[worst]) vs \(b[worst]) (|Δ| = \(abs(a[worst] - b[worst])), \
        allowed \(atol + rtol * abs(b[worst])))
        """, sourceLocation: sourceLocation)
}

/// Expects `actual` within `atol + rtol·|expected|` of `expected` (the
/// collection form's rule for one value).
///
/// ```swift
/// expectClose(mean, 1, atol: 0.02)
/// ```
public func expectClose<T: BinaryFloatingPoint>(
    _ actual: T, _ expected: T, rtol: Double = 0, atol: Double = 0, _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let a = Double(actual), b = Double(expected)
    guard !isClose(a, b, rtol: rtol, atol: atol) else { return }
    Issue.record("""
        \(a) vs \(b): |Δ| = \(abs(a - b)) exceeds atol \(atol) + rtol \(rtol)·|expected| = \(atol + rtol * abs(b))\
        \(comment.map { " (\($0))" } ?? "")
        """, sourceLocation: sourceLocation)
}

private func isClose(_ a: Double, _ b: Double, rtol: Double, atol: Double) -> Bool {
    a == b || abs(a - b) <= atol + rtol * abs(b)
}

/// How far past its tolerance a pair is (NaN counts as the worst).
private func excess(_ a: Double, _ b: Double, rtol: Double, atol: Double) -> Double {
    let d = abs(a - b) - (atol + rtol * abs(b))
    return d.isNaN ? .infinity : d
}
