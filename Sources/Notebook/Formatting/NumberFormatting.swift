import Foundation

// How notebooks write numbers in prose, tables and printed lines.
//
// Notebook text is read by people and diffed between runs, so numbers are
// written with a fixed, locale-independent format (C `printf` formats, a
// "." decimal point and "," thousands separators), never with the user's
// locale.

/// `x` with `digits` digits after the point: `fixed(0.017058823, 4)` → `"0.0171"`.
public func fixed(_ x: some BinaryFloatingPoint, _ digits: Int) -> String {
    String(format: "%.\(digits)f", Double(x))
}

/// `x` in scientific notation with three significant digits: `3.27e-02`.
public func scientific(_ x: some BinaryFloatingPoint) -> String {
    String(format: "%.2e", Double(x))
}

/// A fraction as a percentage: `percent(0.98123)` → `"98.12 %"`.
public func percent(_ x: Double, _ digits: Int = 2) -> String {
    String(format: "%.\(digits)f %%", 100 * x)
}

/// A change in percentage points with its sign: `"+0.03"`, `"−0.12"` (a
/// true minus sign); changes that round to zero are written `"+0.00"`.
public func signedPoints(_ x: Double) -> String {
    let text = String(format: "%.2f", abs(x))
    return (x < -0.004 ? "−" : "+") + text
}

/// `n` with thousands separators: `grouped(1000000)` → `"1,000,000"`.
public func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var text = ""
    for (i, digit) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { text.append(",") }
        text.append(digit)
    }
    return (n < 0 ? "-" : "") + text
}
