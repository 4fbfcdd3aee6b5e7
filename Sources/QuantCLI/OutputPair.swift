import Foundation
import Quant

/// The two files `quant quantize` writes — `OUT.npy` and `OUT.json` — written
/// all or nothing.
///
/// Each file is written atomically (temporary file, then rename), and if the
/// second cannot be written the first is removed again, so a failed run
/// never leaves a half-written file or codes without their parameters.
struct OutputPair {
    let codes: URL
    let parameters: URL

    /// The pair for `codes` (`OUT.npy`); the parameters go beside it as `OUT.json`.
    init(codes: URL) throws {
        guard codes.pathExtension.lowercased() == "npy" else {
            throw CLIError("\(codes.path): the output must be a .npy file (the parameters go beside it as .json)")
        }
        self.codes = codes
        self.parameters = codes.deletingPathExtension().appendingPathExtension("json")
    }

    func write(codes codeBytes: [UInt8], parameters parameterBytes: Data) throws {
        let folder = codes.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("\(folder.path): the output folder does not exist")
        }
        do {
            try Data(codeBytes).write(to: codes, options: .atomic)
        } catch {
            throw CLIError("\(codes.path): cannot write (\(NPYArray.reasonForDisplay(error)))")
        }
        do {
            try parameterBytes.write(to: parameters, options: .atomic)
        } catch {
            try? FileManager.default.removeItem(at: codes)
            throw CLIError("\(parameters.path): cannot write (\(NPYArray.reasonForDisplay(error)))")
        }
    }
}
