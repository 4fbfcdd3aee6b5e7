import Foundation
import Quant

/// The two files `quant quantize` writes — `OUT.npy` and `OUT.json` — as
/// one result.
///
/// Both are written in full to temporary files beside their targets first,
/// then renamed into place, codes first; if anything fails before the
/// renames, both temporaries go and the old pair stays. The one window left
/// — a kill between the two renames — leaves new codes beside old
/// parameters, which `dequantize` detects: the `.json` records the SHA-256
/// of the `.npy` it was written with (`codes_sha256`).
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
        let suffix = ".quant-\(getpid()).partial"
        let (codesTemp, parametersTemp) = (URL(fileURLWithPath: codes.path + suffix), URL(fileURLWithPath: parameters.path + suffix))
        defer {
            try? FileManager.default.removeItem(at: codesTemp)
            try? FileManager.default.removeItem(at: parametersTemp)
        }
        for (bytes, temp, target) in [(Data(codeBytes), codesTemp, codes), (parameterBytes, parametersTemp, parameters)] {
            do {
                try bytes.write(to: temp)
            } catch {
                throw CLIError("\(target.path): cannot write (\(NPYArray.reasonForDisplay(error)))")
            }
        }
        for (temp, target) in [(codesTemp, codes), (parametersTemp, parameters)] {
            guard rename(temp.path, target.path) == 0 else {
                throw CLIError("\(target.path): cannot write (\(String(cString: strerror(errno))))")
            }
        }
    }
}
