import Foundation

/// An array in NumPy's `.npy` format: shape, dtype and the raw
/// little-endian element bytes in C (row-major) order.
///
/// The format (numpy.lib.format) is a 6-byte magic string `\x93NUMPY`, a
/// version (1.0: 2-byte header length; 2.0: 4-byte; 3.0: 4-byte and a UTF-8
/// header), then a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with
/// spaces and a newline to a multiple of 64 bytes, then the data. Reading is
/// strict — every malformed, truncated or unsupported file is a typed
/// ``NPYError``, never a crash or a silently wrong array — because the
/// `quant` tool's users hand it files from arbitrary Python code.
///
/// ```swift
/// let x = try NPYArray(contentsOf: URL(fileURLWithPath: "x.npy")).tensor(of: Float.self)
/// try NPYArray(quantizer.quantize(x, as: UInt8.self)).write(to: URL(fileURLWithPath: "q.npy"))
/// ```
public struct NPYArray: Sendable, Hashable {
    /// The extent of each dimension (`[]` for a 0-d array of one element).
    public let shape: [Int]
    /// The element type.
    public let dtype: NPYDType
    /// The elements' little-endian bytes, `shape.product · dtype.byteWidth` of them.
    public let payload: [UInt8]

    /// The array holding `tensor`'s elements.
    public init<Scalar: NPYScalar>(_ tensor: Tensor<Scalar>) {
        self.shape = tensor.shape
        self.dtype = Scalar.dtype
        self.payload = tensor.scalars.withUnsafeBytes { Array($0) }
    }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The elements as a `Tensor<Scalar>`.
    ///
    /// - Throws: ``NPYError/dtypeMismatch(expected:actual:)`` unless the
    ///   array's dtype is exactly `Scalar`'s (no silent conversions).
    public func tensor<Scalar: NPYScalar>(of type: Scalar.Type) throws(NPYError) -> Tensor<Scalar> {
        guard dtype == Scalar.dtype, MemoryLayout<Scalar>.stride == dtype.byteWidth else {
            throw .dtypeMismatch(expected: Scalar.dtype.name, actual: dtype.name)
        }
        let scalars = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            payload.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            initialized = count
        }
        return Tensor(unchecked: shape, scalars: scalars)
    }

    /// The elements of an integer array, widened to `Int32`.
    ///
    /// - Throws: ``NPYError/dtypeMismatch(expected:actual:)`` for a float array.
    public func integerTensor() throws(NPYError) -> Tensor<Int32> {
        switch dtype {
        case .int8: return try tensor(of: Int8.self).map { Int32($0) }
        case .uint8: return try tensor(of: UInt8.self).map { Int32($0) }
        case .int16: return try tensor(of: Int16.self).map { Int32($0) }
        case .uint16: return try tensor(of: UInt16.self).map { Int32($0) }
        case .int32: return try tensor(of: Int32.self)
        case .float32: throw .dtypeMismatch(expected: "an integer dtype", actual: dtype.name)
        }
    }
}

extension NPYArray {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Parses the bytes of a `.npy` file.
    ///
    /// - Throws: ``NPYError`` naming the first problem found.
    public init(bytes: [UInt8]) throws(NPYError) {
        guard bytes.count >= 8 else {
            if bytes.starts(with: Self.magic.prefix(bytes.count)) && !bytes.isEmpty {
                throw .truncated(part: "preamble", needed: 10, available: bytes.count)
            }
            throw .notNPY
        }
        guard bytes.starts(with: Self.magic) else { throw .notNPY }
        let major = bytes[6], minor = bytes[7]
        let lengthWidth: Int
        switch (major, minor) {
        case (1, 0): lengthWidth = 2
        case (2, 0), (3, 0): lengthWidth = 4
        default: throw .unsupportedVersion(major: major, minor: minor)
        }
        guard bytes.count >= 8 + lengthWidth else {
            throw .truncated(part: "header length", needed: lengthWidth, available: bytes.count - 8)
        }
        var headerLength = 0
        for k in 0..<lengthWidth { headerLength |= Int(bytes[8 + k]) << (8 * k) }
        let headerStart = 8 + lengthWidth
        guard bytes.count - headerStart >= headerLength else {
            throw .truncated(part: "header", needed: headerLength, available: bytes.count - headerStart)
        }
        let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
        guard let text = major == 3
                ? String(validating: headerBytes, as: UTF8.self)
                : String(headerBytes.map { Character(Unicode.Scalar($0)) })   // Latin-1
        else { throw .malformedHeader(reason: "the header is not valid UTF-8") }
        let header = try NPYHeader(parsing: text)
        let count = header.shape.reduce(into: (1, false)) { acc, d in
            let (product, overflow) = acc.0.multipliedReportingOverflow(by: d)
            acc = (product, acc.1 || overflow)
        }
        let (byteCount, overflow) = count.0.multipliedReportingOverflow(by: header.dtype.byteWidth)
        guard !count.1, !overflow else {
            throw .malformedHeader(reason: "shape \(header.shape) has too many elements")
        }
        let dataStart = headerStart + headerLength
        let available = bytes.count - dataStart
        guard available >= byteCount else { throw .truncated(part: "data", needed: byteCount, available: available) }
        guard available == byteCount else { throw .trailingBytes(extra: available - byteCount) }
        self.shape = header.shape
        self.dtype = header.dtype
        self.payload = Array(bytes[dataStart...])
    }

    /// Reads a `.npy` file.
    ///
    /// - Throws: ``NPYError/io(path:reason:)`` when it cannot be read, and
    ///   the errors of ``init(bytes:)``.
    public init(contentsOf url: URL) throws(NPYError) {
        let data: Data
        do {
            data = try InputFile.contents(of: url)
        } catch {
            throw .io(path: url.path, reason: error.reason)
        }
        try self.init(bytes: [UInt8](data))
    }

    /// The bytes of the `.npy` file: version 1.0 (2.0 if the header needs
    /// more than 65 535 bytes), the header padded to a multiple of 64 bytes,
    /// exactly as `numpy.save` lays it out.
    public func encoded() -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        var lengthWidth = 2
        if 10 + header.utf8.count + 64 > 0xFFFF { lengthWidth = 4 }
        let unpadded = 6 + 2 + lengthWidth + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        var bytes = Self.magic + [lengthWidth == 2 ? 1 : 2, 0]
        for k in 0..<lengthWidth { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * k))) }
        bytes += header.utf8
        bytes += payload
        return bytes
    }

    /// Writes the `.npy` file atomically (a temporary file renamed into
    /// place), so an interrupted write never leaves a partial file.
    ///
    /// - Throws: ``NPYError/io(path:reason:)``, e.g. for a missing folder.
    public func write(to url: URL) throws(NPYError) {
        do {
            try Data(encoded()).write(to: url, options: .atomic)
        } catch {
            throw .io(path: url.path, reason: Self.reasonForDisplay(error))
        }
    }

    /// A one-line reason for a Foundation file error ("no such file",
    /// "permission denied", …), for messages that name the file themselves.
    public static func reasonForDisplay(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
            case NSFileWriteOutOfSpaceError: return "no space left on device"
            default: break
            }
        }
        return nsError.localizedDescription
    }
}
