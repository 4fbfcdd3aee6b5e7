import Foundation
import Plot

let bits = Array(1...16)
var axes = Axes(title: "Max error vs bit-width", xLabel: "bits", yLabel: "max |x − x̂|", yScale: .log10)
for (k, name) in ["uniform", "Gaussian", "Laplace"].enumerated() {
    let y = bits.map { 2.0 * Double(k + 1) / Double(1 << $0) }
    axes.add(Line(x: bits, y: y, label: name, marker: [Marker.circle, .square, .triangle][k]))
}
let fig = Figure(axes, dpi: 150)
try fig.save(to: URL(fileURLWithPath: "Figures/gallery/line_log.png"))
try fig.save(to: URL(fileURLWithPath: "Figures/gallery/line_log.svg"))
try fig.save(to: URL(fileURLWithPath: "Figures/gallery/line_log.pdf"))
