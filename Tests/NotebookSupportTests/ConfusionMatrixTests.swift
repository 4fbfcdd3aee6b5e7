import NotebookSupport
import Plot
import Testing
import TestSupport

@Suite struct ConfusionMatrixTests {
    @Test func countsTrueClassAgainstPrediction() {
        let matrix = ConfusionMatrix(predicted: [0, 1, 1, 2, 2, 2], labels: [0, 1, 2, 2, 2, 0], classes: 3)
        #expect(matrix.counts == [1, 0, 1,
                                  0, 1, 0,
                                  0, 1, 2])
        #expect(matrix[2, 1] == 1, "one 2 taken for a 1")
        #expect(matrix[0, 2] == 1)
        #expect(matrix.total == 6)
    }

    @Test func comparisonFigureHasTheReferenceAndTheSignedChange() throws {
        let labels: [Int32] = [0, 1, 1, 0]
        let reference = ConfusionMatrix(predicted: [0, 1, 1, 1], labels: labels, classes: 2)
        let candidate = ConfusionMatrix(predicted: [0, 1, 0, 0], labels: labels, classes: 2)
        let figure = Figure.confusionMatrices(reference, titled: "FP32", against: candidate, titled: "int8")
        #expect(figure.title == "Confusion matrix on the 4 test images (rows: true class, columns: predicted)")
        #expect(figure.panels.map(\.title) == ["FP32", "int8 − FP32"])
        // The candidate gets one 1 wrong (diagonal −1, off-diagonal +1) and one 0 right
        // (diagonal +1, off-diagonal −1): harm is + for the first pair, − for the second.
        let harm = try #require(figure.panels[1].marks.first as? Heatmap)
        #expect(harm.values == [-1, -1, 1, 1])
        let changes = figure.panels[1].marks.compactMap { ($0 as? Annotation)?.text }
        #expect(changes == ["+1", "-1", "+1", "-1"])
        let size = try #require(PNGCheck.size(try figure.pngData()))
        #expect(size.width == 1650 && size.height == 810, "11 × 5.4 inches at 150 dpi")
    }
}
