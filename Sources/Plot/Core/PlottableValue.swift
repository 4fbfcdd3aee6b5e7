/// A number a mark can take as data: `Double`, `Float`, `Int` and friends,
/// so that notebooks pass their `[Float]` tensors' scalars or `Array(1...16)`
/// without converting.
///
/// ```swift
/// Line(x: Array(1...16), y: errors as [Float])
/// ```
public protocol PlottableValue {
    var plotValue: Double { get }
}

extension Double: PlottableValue { public var plotValue: Double { self } }
extension Float: PlottableValue { public var plotValue: Double { Double(self) } }
extension Int: PlottableValue { public var plotValue: Double { Double(self) } }
extension Int32: PlottableValue { public var plotValue: Double { Double(self) } }
extension Int64: PlottableValue { public var plotValue: Double { Double(self) } }
extension UInt8: PlottableValue { public var plotValue: Double { Double(self) } }

extension Sequence where Element: PlottableValue {
    /// The values as `Double`s.
    var plotValues: [Double] { map(\.plotValue) }
}
