/// A Swift scalar type stored in `.npy` files as ``dtype``: a plain value
/// whose memory is exactly one little-endian element of that dtype.
public protocol NPYScalar: Sendable {
    static var dtype: NPYDType { get }
}

extension Float: NPYScalar { public static var dtype: NPYDType { .float32 } }
extension Int8: NPYScalar { public static var dtype: NPYDType { .int8 } }
extension UInt8: NPYScalar { public static var dtype: NPYDType { .uint8 } }
extension Int16: NPYScalar { public static var dtype: NPYDType { .int16 } }
extension UInt16: NPYScalar { public static var dtype: NPYDType { .uint16 } }
extension Int32: NPYScalar { public static var dtype: NPYDType { .int32 } }
