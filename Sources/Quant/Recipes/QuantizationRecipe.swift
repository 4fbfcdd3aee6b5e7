/// A way to turn a model's layers into quantized ones: a value that
/// ``Sequential/quantized(with:calibration:batchSize:where:)`` applies layer
/// by layer, so the conversion code is written once for every recipe.
///
/// A recipe answers two questions per layer:
/// 1. does converting it need statistics of its inputs (activation ranges
///    for static quantization, a Hessian for GPTQ)? Then ``calibrator(for:at:)``
///    returns a ``Calibrator``, which sees the layer's input for every batch of
///    calibration data as it flows through the float model;
/// 2. what does the layer become? ``convert(_:at:calibrated:)`` returns the
///    replacement, built from the layer and its calibrator, or `nil` to keep it.
///
/// ``DynamicQuantization`` needs no calibration and converts every ``Linear``;
/// static int8, weight-only low-bit, GPTQ and QAT conversion are recipes too.
///
/// ```swift
/// struct RangeRecipe: QuantizationRecipe {
///     func calibrator(for layer: any Layer, at index: Int) -> (any Calibrator)? { RangeCalibrator() }
///     func convert(_ layer: any Layer, at index: Int, calibrated: (any Calibrator)?) throws(ModelError) -> (any Layer)? { … }
/// }
/// let converted = try model.quantized(with: RangeRecipe(), calibration: data.train.prefix(1024))
/// ```
public protocol QuantizationRecipe: Sendable {
    /// A fresh calibrator for layer `index`, or `nil` when its conversion needs no data.
    func calibrator(for layer: any Layer, at index: Int) -> (any Calibrator)?
    /// The replacement for layer `index`, or `nil` to keep it. `calibrated`
    /// is the layer's calibrator after every calibration batch (nil when
    /// ``calibrator(for:at:)`` gave none).
    func convert(_ layer: any Layer, at index: Int, calibrated: (any Calibrator)?) throws(ModelError) -> (any Layer)?
}
