/// The name of one value in `results.json`, with the type recorded under it.
///
/// A notebook records with a key and its tests (and the write-up) read with
/// the same key, so the name is spelled once and a test cannot read a value
/// as another type than the notebook wrote: keys are declared once per
/// notebook, as static constants, beside the other notebooks' keys.
///
/// ```swift
/// enum Mini2Results {
///     static let fp32Accuracy = ResultKey<Double>("fp32_accuracy")
/// }
/// try cell.record(Mini2Results.fp32Accuracy, accuracy)          // in the notebook
/// let accuracy = results[Mini2Results.fp32Accuracy]              // in a test: Double?
/// ```
public struct ResultKey<Value: ResultConvertible>: Hashable, Sendable, CustomStringConvertible {
    /// The top-level key in `results.json`.
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }
}
