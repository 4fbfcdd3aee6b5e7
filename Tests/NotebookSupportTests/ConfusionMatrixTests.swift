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

    @Test func comparisonFigureHasBothMatricesAndTheirDifference() throws {
        let labels: [Int32] = [0, 1, 1, 0]
        let reference = ConfusionMatrix(predicted: [0, 1, 1, 1], labels: labels, classes: 2)
        let candidate = ConfusionMatrix(predicted: [0, 1, 0, 0], labels: labels, classes: 2)
        let figure = Figure.confusionMatrices(reference, titled: "FP32", against: candidate, titled: "int8",
                                              differenceTitle: "int8 − FP32")
        #expect(figure.title == "Confusion matrices on the 4 test images (rows: true class, columns: predicted)")
        #expect(figure.panels.map(\.title) == ["FP32", "int8", "int8 − FP32"])
        let size = try #require(PNGCheck.size(try figure.pngData()))
        #expect(size.width == 2400 && size.height == 810, "16 × 5.4 inches at 150 dpi")
    }
}
