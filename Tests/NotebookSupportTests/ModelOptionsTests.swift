import Foundation
import Notebook
import NotebookSupport
import Quant
import Testing
import TestSupport

/// The shared flags: defaults, validation before any cell, the names of
/// dataset variants, and the FP32 model they choose.
@Suite struct ModelOptionsTests {
    @Test func defaultsChooseTheSeedRecipeOnMNIST() throws {
        let options = try ModelOptions.parse([])
        #expect(options.kind == .mnist)
        #expect(options.seed == TrainingSettings.seedRecipe.seed)
        #expect(options.data == nil && options.checkpoints == nil)
        #expect(options.baseline(quick: false).settings == .seedRecipe)
    }

    @Test func quickRunsTrainOnASubsetWithTheGivenSeed() throws {
        let baseline = try ModelOptions.parse(["--dataset", "fashion-mnist", "--seed", "5"]).baseline(quick: true)
        #expect(baseline.kind == .fashionMNIST)
        #expect(baseline.settings.seed == 5)
        #expect(baseline.settings.epochs == FP32Baseline.quickEpochs)
        #expect(baseline.settings.trainingExamples == FP32Baseline.quickTrainingExamples)
        var expected = TrainingSettings.seedRecipe
        (expected.seed, expected.epochs, expected.trainingExamples) = (5, 2, 3000)
        #expect(baseline.settings == expected, "quick runs of every notebook share one cached model")
    }

    @Test func unknownDatasetIsAValidationError() {
        #expect {
            _ = try ModelOptions.parse(["--dataset", "cifar"])
        } throws: { error in
            ModelOptions.message(for: error) == "unknown dataset 'cifar'; use one of: mnist, fashion-mnist"
        }
    }

    @Test func checkpointFolderIsMadeOrRefused() throws {
        let dir = try TemporaryDirectory("model-options")
        defer { dir.remove() }
        let folder = dir.url.appendingPathComponent("a/b")
        _ = try ModelOptions.parse(["--checkpoints", folder.path])
        #expect(FileManager.default.fileExists(atPath: folder.path), "validation makes the folder")

        let file = dir.url.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        #expect {
            _ = try ModelOptions.parse(["--checkpoints", file.path])
        } throws: { error in
            ModelOptions.message(for: error).contains("cannot use \(file.path) as the checkpoint folder")
        }
    }

    @Test func otherDatasetsWriteBesideTheMNISTRun() throws {
        let notebook = NotebookInfo(name: "mini3", title: "MNIST title")
        let title = { (kind: DatasetKind) in "\(kind) title" }
        #expect(try ModelOptions.parse([]).info(for: notebook, title: title) == notebook)
        #expect(try ModelOptions.parse(["--dataset", "fashion-mnist"]).info(for: notebook, title: title)
            == NotebookInfo(name: "mini3-fashion-mnist", title: "Fashion-MNIST title"))
    }
}
