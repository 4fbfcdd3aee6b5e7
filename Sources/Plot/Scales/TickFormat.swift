import Foundation

/// How tick values are written.
///
/// `automatic` picks per scale: on linear axes every label gets the decimal
/// places the tick step needs (step 0.25 → `0.00, 0.25, 0.50`), `10^{k}` for decades on log-10
/// axes, integers for powers of two on log-2 axes, and `m×10^{k}` when values
/// are very large or very small. Negative numbers use a true minus sign (−).
///
/// ```swift
/// axes.y.format = .percent()          // 0.93 → "93%"
/// axes.y.format = .decimal(places: 2)
/// axes.x.format = .custom { "\(Int($0)) b" }
/// ```
public enum TickFormat: Sendable {
    case automatic
    /// Rounded to a whole number.
    case integer
    /// Fixed number of decimal places.
    case decimal(places: Int)
    /// A fraction shown as a percentage: `0.931` → `93.1%` with `places: 1`.
    case percent(places: Int = 0)
    /// `10^{k}` for exact powers of ten, `m×10^{k}` otherwise.
    case powerOfTen
    /// Any function of the value.
    case custom(@Sendable (Double) -> String)

    /// The label for `value` on an axis with the given `scale`, where
    /// neighbouring ticks are `step` apart (in data units; used by
    /// `automatic` to choose decimal places).
    public func label(_ value: Double, step: Double, scale: Scale) -> String {
        switch self {
        case .integer:
            return Self.fixed(value.rounded(), places: 0)
        case .decimal(let places):
            return Self.fixed(value, places: max(0, places))
        case .percent(let places):
            return Self.fixed(value * 100, places: max(0, places)) + "%"
        case .powerOfTen:
            return Self.powerOfTen(value)
        case .custom(let body):
            return body(value)
        case .automatic:
            return Self.automatic(value, step: step, scale: scale)
        }
    }

    static func automatic(_ value: Double, step: Double, scale: Scale) -> String {
        switch scale {
        case .log10:
            if Self.isPower(value, base: 10) { return Self.powerOfTen(value) }
            return Self.general(value)
        case .log2:
            if value >= 1, value <= 65536, value == value.rounded() { return Self.fixed(value, places: 0) }
            if Self.isPower(value, base: 2) {
                return "2^{\(Int(Foundation.log2(value).rounded()))}"
            }
            return Self.general(value)
        case .symlog:
            return Self.general(value)
        case .linear:
            let step = abs(step)
            guard step > 0, step.isFinite else { return Self.general(value) }
            let magnitude = abs(value)
            if magnitude >= 1e6 || step < 1e-4 {
                return Self.scientific(value, step: step)
            }
            return Self.fixed(value, places: Self.places(for: step))
        }
    }

    /// Decimal places that show every multiple of `step` exactly.
    static func places(for step: Double) -> Int {
        var places = 0
        var s = step
        while places < 10, abs(s - s.rounded()) > 1e-6 * max(1, abs(s)) {
            s *= 10
            places += 1
        }
        return places
    }

    static func isPower(_ value: Double, base: Double) -> Bool {
        guard value > 0 else { return false }
        let k = Foundation.log(value) / Foundation.log(base)
        return abs(k - k.rounded()) < 1e-9
    }

    static func fixed(_ value: Double, places: Int) -> String {
        var text = String(format: "%.\(places)f", value)
        // "-0" and "-0.00" read as noise; a rounded zero is zero.
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return minus(text)
    }

    static func minus(_ text: String) -> String {
        text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
    }

    static func powerOfTen(_ value: Double) -> String {
        guard value != 0, value.isFinite else { return value == 0 ? "0" : "\(value)" }
        let k = Int(Foundation.log10(abs(value)).rounded(.down))
        let mantissa = value / pow(10, Double(k))
        if abs(abs(mantissa) - 1) < 1e-9 || abs(abs(mantissa) - 10) < 1e-9 {
            let kk = abs(abs(mantissa) - 10) < 1e-9 ? k + 1 : k
            return (value < 0 ? "\u{2212}" : "") + "10^{\(kk)}"
        }
        return Self.minus(Self.trimmed(String(format: "%.2f", mantissa))) + "×10^{\(k)}"
    }

    static func scientific(_ value: Double, step: Double) -> String {
        guard value != 0 else { return "0" }
        let k = Int(Foundation.log10(abs(value)).rounded(.down))
        let scaledStep = step / pow(10, Double(k))
        let m = value / pow(10, Double(k))
        return Self.fixed(m, places: min(Self.places(for: scaledStep), 4)) + "×10^{\(k)}"
    }

    /// Like C's `%g`: short, without trailing zeros.
    static func general(_ value: Double) -> String {
        let a = abs(value)
        if a != 0, a < 1e-4 || a >= 1e6 { return Self.powerOfTen(value) }
        return Self.minus(Self.trimmed(String(format: "%.6f", value)))
    }

    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = Substring(text)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return t == "-0" ? "0" : String(t)
    }
}
