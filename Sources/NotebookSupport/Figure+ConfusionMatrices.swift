import Foundation
import Notebook
import Plot

extension Figure {
    /// Two models' confusion matrices side by side on one colour scale, and
    /// their difference (candidate − reference) on a diverging one, each
    /// cell labelled with its count: where a quantized model's mistakes
    /// moved, against the float model's.
    ///
    /// ```swift
    /// Figure.confusionMatrices(fp32, titled: "FP32", against: int8, titled: "int8 per-tensor",
    ///                          differenceTitle: "int8 − FP32")
    /// ```
    public static func confusionMatrices(_ reference: ConfusionMatrix, titled referenceTitle: String,
                                         against candidate: ConfusionMatrix, titled candidateTitle: String,
                                         differenceTitle: String) -> Figure {
        precondition(reference.classes == candidate.classes, "\(reference.classes) classes against \(candidate.classes)")
        let classes = reference.classes
        let difference = zip(candidate.counts, reference.counts).map { $0 - $1 }
        let top = Double(reference.counts.max() ?? 1)
        var figure = Figure(rows: 1, columns: 3, width: 16, height: 5.4, dpi: 150)
        figure.title = "Confusion matrices on the \(grouped(reference.total)) test images (rows: true class, columns: predicted)"
        figure.panels[0] = confusionPanel(reference.counts, title: referenceTitle, classes: classes, colormap: .viridis,
                                          range: 0...top, colorBar: "count")
        figure.panels[1] = confusionPanel(candidate.counts, title: candidateTitle, classes: classes, colormap: .viridis,
                                          range: 0...top, colorBar: "count")
        let reach = Double(max(difference.map(abs).max() ?? 1, 1))
        figure.panels[2] = confusionPanel(difference, title: differenceTitle, classes: classes, colormap: .redBlue,
                                          range: -reach...reach, colorBar: "change in count",
                                          labels: .custom { $0 == 0 ? "" : String(format: "%+d", Int($0)) })
        return figure
    }
}

/// A confusion matrix panel with the counts written in the cells.
private func confusionPanel(_ counts: [Int], title: String, classes: Int, colormap: Colormap, range: ClosedRange<Double>,
                            colorBar: String, labels: TickFormat = .integer) -> Axes {
    var axes = Axes(title: title, xLabel: "predicted class", yLabel: "true class")
    let names = (0..<classes).map(String.init)
    axes.add(Heatmap(values: counts, rows: classes, columns: classes, colormap: colormap, range: range,
                     valueLabels: labels, rowLabels: names, columnLabels: names, colorBarLabel: colorBar))
    return axes
}
