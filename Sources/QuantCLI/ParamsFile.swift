import Foundation
import Quant

/// The `OUT.json` parameter file written beside the codes:
///
///     {"scheme": "per_tensor_affine", "bits": 8, "signed": false, "symmetric": false,
///      "axis": null, "group_size": null, "scale": [0.0156862754], "zero_point": [64],
///      "restricted_range": false, "quant_min": 0, "quant_max": 255}
///
/// `scheme` uses PyTorch's qscheme names, extended in the same pattern
/// (``QuantScheme/pytorchName``): `per_group_…` for groups of `group_size`
/// elements along `axis`, `…_binary` and `…_ternary` for those mappings
/// (which are `symmetric`: zero-point 0). `scale` and `zero_point` have one
/// entry per tensor, channel or group (groups in
/// ``QuantScheme/Granularity/perGroup(axis:size:)`` order). Scales are
/// written as the exact decimal value of the Float32 (shortest Double form),
/// so `numpy.float32(s)` gives back the same bits. `group_size`,
/// `restricted_range`, `quant_min` and `quant_max` are optional on reading
/// (checked when present).
struct ParamsFile {
    let scheme: QuantScheme
    let params: QuantParams
    /// The SHA-256 (hex) of the `.npy` file of codes written with these
    /// parameters, so that `dequantize` can tell codes and parameters of
    /// different runs apart; `nil` in a hand-written file.
    let codesSHA256: String?

    init(scheme: QuantScheme, params: QuantParams, codesSHA256: String? = nil) {
        self.scheme = scheme
        self.params = params
        self.codesSHA256 = codesSHA256
    }

    /// The file's JSON text (one object, keys in the order above, newline-terminated).
    func encoded() -> Data {
        var fields: [(String, String)] = [
            ("scheme", "\"\(scheme.pytorchName)\""),
            ("bits", "\(scheme.bits)"),
            ("signed", "\(scheme.isSigned)"),
            ("symmetric", "\(scheme.isSymmetric)"),
            ("axis", scheme.axis.map(String.init) ?? "null"),
            ("group_size", scheme.groupSize.map(String.init) ?? "null"),
            ("scale", "[" + params.scales.map { "\(Double($0))" }.joined(separator: ", ") + "]"),
            ("zero_point", "[" + params.zeroPoints.map(String.init).joined(separator: ", ") + "]"),
            ("restricted_range", "\(scheme.isRestricted)"),
            ("quant_min", "\(scheme.qmin)"),
            ("quant_max", "\(scheme.qmax)"),
        ]
        if let codesSHA256 { fields.append(("codes_sha256", "\"" + codesSHA256 + "\"")) }
        return Data(("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}\n").utf8)
    }

    /// Reads and checks a parameter file.
    ///
    /// - Throws: a ``CLIError`` naming the file and the problem.
    init(contentsOf url: URL) throws {
        let name = url.lastPathComponent
        let data: Data
        do {
            data = try InputFile.contents(of: url)
        } catch {
            throw CLIError("\(url.path): cannot read the parameter file (\(error.reason))")
        }
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: data)
        } catch let error as DecodingError {
            throw CLIError("\(name): \(Self.explain(error))")
        }
        do {
            let mapping: QuantScheme.Mapping
            if raw.scheme.hasSuffix("_binary") {
                mapping = .binary
            } else if raw.scheme.hasSuffix("_ternary") {
                mapping = .ternary
            } else {
                mapping = raw.symmetric ? .symmetric(restrictedRange: raw.restricted_range ?? false) : .affine
            }
            guard raw.restricted_range != true || mapping == .symmetric(restrictedRange: true) else {
                throw CLIError("\(name): restricted_range needs symmetric")
            }
            if let axis = raw.axis, axis < 0 { throw CLIError("\(name): axis \(axis) must be non-negative") }
            let granularity: QuantScheme.Granularity
            switch (raw.axis, raw.group_size) {
            case (nil, nil): granularity = .perTensor
            case (let axis?, nil): granularity = .perChannel(axis: axis)
            case (let axis?, let size?): granularity = .perGroup(axis: axis, size: size)
            case (nil, _?): throw CLIError("\(name): group_size needs an axis")
            }
            let scheme = try QuantScheme(bits: raw.bits, signed: raw.signed, mapping: mapping, granularity: granularity)
            guard raw.scheme == scheme.pytorchName, raw.symmetric == scheme.isSymmetric else {
                throw CLIError("\(name): scheme '\(raw.scheme)' contradicts symmetric/axis/group_size, which describe '\(scheme.pytorchName)'")
            }
            if let qmin = raw.quant_min, qmin != Int(scheme.qmin) {
                throw CLIError("\(name): quant_min \(qmin) does not match the scheme's \(scheme.qmin)")
            }
            if let qmax = raw.quant_max, qmax != Int(scheme.qmax) {
                throw CLIError("\(name): quant_max \(qmax) does not match the scheme's \(scheme.qmax)")
            }
            guard raw.scale.count == raw.zero_point.count, !raw.scale.isEmpty else {
                throw CLIError("\(name): scale and zero_point need the same, non-zero number of entries (got \(raw.scale.count) and \(raw.zero_point.count))")
            }
            let zeroPoints = try raw.zero_point.map { zp in
                guard let value = Int32(exactly: zp) else {
                    throw CLIError("\(name): zero_point \(zp) is not an integer code (zero-points are whole numbers in the int32 range)")
                }
                return value
            }
            let params = try QuantParams(scales: raw.scale.map { Float($0) }, zeroPoints: zeroPoints)
            try params.validate(for: scheme)
            if let digest = raw.codes_sha256, digest.count != 64 || !digest.allSatisfy(\.isHexDigit) {
                throw CLIError("\(name): codes_sha256 '\(digest)' is not a SHA-256 (64 hex digits)")
            }
            self.init(scheme: scheme, params: params, codesSHA256: raw.codes_sha256?.lowercased())
        } catch let error as QuantError {
            throw CLIError("\(name): \(error)")
        }
    }

    /// The file as decoded, before its values are checked.
    private struct Raw: Decodable {
        let scheme: String
        let bits: Int
        let signed: Bool
        let symmetric: Bool
        let axis: Int?
        let group_size: Int?
        let scale: [Double]
        /// Read as numbers, then checked to be integers, so that `1.5` gets
        /// its own message rather than a JSON decoding failure.
        let zero_point: [Double]
        let restricted_range: Bool?
        let codes_sha256: String?
        let quant_min: Int?
        let quant_max: Int?
    }

    /// A one-line account of a JSON decoding failure.
    private static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _):
            return "missing key '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            return "'\(path(context))' has the wrong type (expected \(type))"
        case .valueNotFound(let type, let context):
            return "'\(path(context))' is null (expected \(type))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not a valid JSON object (\(context.debugDescription))" : "'\(path(context))' is invalid"
        @unknown default:
            return "not a valid parameter file"
        }
    }
}
