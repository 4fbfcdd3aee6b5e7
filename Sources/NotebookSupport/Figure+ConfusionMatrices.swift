import Foundation
import Notebook
import Plot

extension Figure {
    /// The reference model's confusion matrix and what the candidate changes
    /// in it, side by side.
    ///
    /// Left: the reference counts, each cell labelled, on a colour scale
    /// clipped at the largest off-diagonal count, so that the mistakes are
    /// visible next to diagonals a hundred times larger. Right: the change
    /// `candidate − reference` printed in each cell that moved, coloured by
    /// what it does to the candidate on one diverging scale: on the diagonal
    /// a lost correct answer, off it a gained mistake, both red (`+`), and
    /// the opposite both blue (`−`). A second full matrix would repeat the
    /// first almost digit for digit, so it is not drawn.
    ///
    /// ```swift
    /// Figure.confusionMatrices(fp32, titled: "FP32", against: int8, titled: "int8 per-tensor")
    /// ```
    public static func confusionMatrices(_ reference: ConfusionMatrix, titled referenceTitle: String,
                                         against candidate: ConfusionMatrix, titled candidateTitle: String) -> Figure {
        precondition(reference.classes == candidate.classes, "\(reference.classes) classes against \(candidate.classes)")
        let classes = reference.classes
        let names = (0..<classes).map(String.init)
        let offDiagonal = (0..<classes * classes).filter { $0 / classes != $0 % classes }
        let clip = Double(max(offDiagonal.map { reference.counts[$0] }.max() ?? 1, 1))
        var figure = Figure(rows: 1, columns: 2, width: 11, height: 5.4, dpi: 150)
        figure.title = "Confusion matrix on the \(grouped(reference.total)) test images (rows: true class, columns: predicted)"

        var counts = Axes(title: referenceTitle, xLabel: "predicted class", yLabel: "true class")
        var countMap = Heatmap(values: reference.counts, rows: classes, columns: classes, colormap: .viridis, range: 0...clip,
                               valueLabels: .integer, rowLabels: names, columnLabels: names,
                               colorBarLabel: "count (colours clipped at \(Int(clip)))")
        countMap.colorBarFormat = .integer
        counts.add(countMap)
        figure.panels[0] = counts

        let change = zip(candidate.counts, reference.counts).map { $0 - $1 }
        let harm = change.indices.map { $0 / classes == $0 % classes ? -change[$0] : change[$0] }
        let reach = Double(max(change.map(abs).max() ?? 1, 1))
        var moved = Axes(title: "\(candidateTitle) − \(referenceTitle)", xLabel: "predicted class", yLabel: "true class")
        var harmMap = Heatmap(values: harm, rows: classes, columns: classes, colormap: .redBlue, range: -reach...reach,
                              rowLabels: names, columnLabels: names,
                              colorBarLabel: "red: worse for \(candidateTitle), blue: better")
        harmMap.colorBarFormat = .integer
        moved.add(harmMap)
        for i in change.indices where change[i] != 0 {
            moved.add(Annotation(String(format: "%+d", change[i]), at: (x: Double(i % classes), y: Double(i / classes)),
                                 arrow: false, color: Double(abs(change[i])) > reach / 2 ? .white : .black))
        }
        figure.panels[1] = moved
        return figure
    }
}
