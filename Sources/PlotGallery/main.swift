import Foundation
import Plot
import Quant

/// `plot-gallery [FOLDER]`: writes one example of every Plot mark and layout
/// into FOLDER (default `Figures/gallery`), PNG for all and SVG/PDF for some.
let folder = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "Figures/gallery", isDirectory: true)
do {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for example in Examples.all {
        for format in example.formats {
            let url = folder.appendingPathComponent("\(example.name).\(format.rawValue)")
            try example.figure.save(to: url)
            print(url.path)
        }
    }
} catch {
    StandardStream.error("plot-gallery: \(error)\n")
    exit(1)
}
