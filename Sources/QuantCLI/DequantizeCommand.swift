import ArgumentParser
import Foundation
import Quant

/// `quant dequantize IN.npy --params P.json -o OUT.npy`: integer codes in,
/// float32 `(q − zp)·scale` out.
struct DequantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dequantize",
        abstract: "Dequantize integer codes with a parameter file: write float32 (q - zero_point) * scale."
    )

    @Argument(help: "The codes: int8, uint8, int16, uint16 or int32, C order.")
    var input: String

    @Option(help: "The parameter file written by 'quant quantize' (or by hand, same keys).")
    var params: String

    @Option(name: .shortAndLong, help: "The output .npy file (float32).")
    var output: String

    func validate() throws {
        let written = URL(fileURLWithPath: output).standardizedFileURL.path
        for (flag, path) in [("the input file", input), ("the --params file", params)]
        where URL(fileURLWithPath: path).standardizedFileURL.path == written {
            throw ValidationError("-o \(output) is also \(flag); choose another output file")
        }
    }

    func run() throws {
        try reportingErrors {
            let inputURL = URL(fileURLWithPath: input)
            let bytes = try Self.contents(of: inputURL)
            let file = try ParamsFile(contentsOf: URL(fileURLWithPath: params))
            if let expected = file.codesSHA256, SHA256.hexDigest(of: bytes) != expected {
                throw CLIError("\(input) is not the file \(URL(fileURLWithPath: params).lastPathComponent) was written with (its SHA-256 differs from codes_sha256): codes and parameters come from different runs")
            }
            let codes = try NPYArray(bytes: [UInt8](bytes)).integerTensor()
            let quantizer = try Quantizer(scheme: file.scheme, params: file.params)
            if let axis = file.scheme.axis {
                guard axis < codes.rank else { throw QuantError.axisOutOfBounds(axis: axis, rank: codes.rank) }
            }
            try file.scheme.validate(codes: codes.scalars)
            let values = try quantizer.dequantize(codes)
            let url = URL(fileURLWithPath: output)
            try NPYArray(values).write(to: url)
        }
    }

    /// The bytes of the codes file, with `NPYError`'s message when it cannot be read.
    private static func contents(of url: URL) throws(NPYError) -> Data {
        do { return try InputFile.contents(of: url) } catch { throw .io(path: url.path, reason: error.reason) }
    }
}
