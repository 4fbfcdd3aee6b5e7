/// An integer type that can hold quantization codes: `Int8`, `UInt8`,
/// `Int16`, `UInt16` or `Int32`.
///
/// `Int32` holds every scheme (1…16 bits) and is what the general
/// ``Quantizer/quantize(_:)`` returns; the narrow types are the storage of
/// quantized weights and activations (8-bit models, the `quant` tool's
/// narrowest-type output), filled directly by
/// ``Quantizer/quantize(_:shape:into:)`` without an intermediate `Int32` copy.
/// These five have specialised, vectorised loops; another conforming type
/// works through a generic (slower) loop.
///
/// ```swift
/// let q = try quantizer.quantize(x, as: UInt8.self)   // Tensor<UInt8>
/// ```
public protocol QuantizedCode: FixedWidthInteger, Sendable {}

extension Int8: QuantizedCode {}
extension UInt8: QuantizedCode {}
extension Int16: QuantizedCode {}
extension UInt16: QuantizedCode {}
extension Int32: QuantizedCode {}
