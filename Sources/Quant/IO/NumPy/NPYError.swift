/// Why a `.npy` file could not be read, converted or written.
public enum NPYError: Error, Equatable, Sendable {
    /// The file does not start with the `\x93NUMPY` magic string.
    case notNPY
    /// The file ends before the `needed` bytes of its `part` (header or data).
    case truncated(part: String, needed: Int, available: Int)
    /// A format version other than 1.0, 2.0 or 3.0.
    case unsupportedVersion(major: UInt8, minor: UInt8)
    /// The header dictionary is not what NumPy writes; `reason` says what is wrong.
    case malformedHeader(reason: String)
    /// A dtype other than little-endian `f4`, `i1`, `u1`, `i2`, `u2`, `i4`.
    case unsupportedDType(String)
    /// The array is stored in Fortran (column-major) order.
    case fortranOrder
    /// The file holds `extra` bytes after the array data.
    case trailingBytes(extra: Int)
    /// The array holds `actual` but the caller needs `expected` (e.g. float32 input).
    case dtypeMismatch(expected: String, actual: String)
    /// The file could not be read or written; `reason` is the system's message.
    case io(path: String, reason: String)
}

extension NPYError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notNPY:
            return "not a NumPy .npy file (missing the \\x93NUMPY magic string)"
        case .truncated(let part, let needed, let available):
            return "truncated .npy file: the \(part) needs \(needed) bytes but only \(available) remain"
        case .unsupportedVersion(let major, let minor):
            return "unsupported .npy format version \(major).\(minor): use 1.0, 2.0 or 3.0"
        case .malformedHeader(let reason):
            return "malformed .npy header: \(reason)"
        case .unsupportedDType(let descr):
            return "unsupported dtype '\(descr)': use little-endian float32 ('<f4') or int8/uint8/int16/uint16/int32"
        case .fortranOrder:
            return "the array is in Fortran order: save it in C order (numpy.ascontiguousarray) first"
        case .trailingBytes(let extra):
            return "malformed .npy file: \(extra) unexpected bytes after the array data"
        case .dtypeMismatch(let expected, let actual):
            return "the array has dtype \(actual), but \(expected) is needed"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
