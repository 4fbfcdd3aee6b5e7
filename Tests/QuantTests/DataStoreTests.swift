import Foundation
import Testing
@testable import Quant
import TestSupport

/// A temporary folder removed when the test ends.
final class TemporaryFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("quant-test-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes a tiny dataset (3 training and 2 test 2×2 images) into `<url>/<sub>/`.
    func writeTinyDataset(in sub: String) throws -> URL {
        let folder = url.appendingPathComponent(sub)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files: [[UInt8]] = [
            IDXFixture.gzip(IDXFixture.idx(shape: [3, 2, 2], elements: [0, 255, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255])),
            IDXFixture.idx(shape: [3], elements: [1, 0, 9]),
            IDXFixture.idx(shape: [2, 2, 2], elements: [255, 0, 0, 0, 0, 0, 0, 0]),
            IDXFixture.gzip(IDXFixture.idx(shape: [2], elements: [3, 4])),
        ]
        for (name, bytes) in zip(DatasetKind.fileNames, files) {
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        return folder
    }
}

@Suite struct DataStoreTests {
    @Test func searchOrderIsEnvironmentThenCacheAndAFlagReplacesThem() {
        let environment = ["QUANT_DATA": "/env", "XDG_CACHE_HOME": "/xdg", "HOME": "/home/u"]
        let store = DataStore(environment: environment)
        #expect(store.searchFolders.map(\.path) == ["/env", "/xdg/quant"])
        #expect(store.candidateFolders(for: .fashionMNIST).map(\.path)
                == ["/env/fashion-mnist", "/xdg/quant/fashion-mnist", "/usr/share/datasets/fashion-mnist"])
        let flagged = DataStore(dataDirectory: "/flag", environment: environment)
        #expect(flagged.searchFolders.map(\.path) == ["/flag"])
        let plain = DataStore(environment: ["HOME": "/home/u"])
        #expect(plain.searchFolders.map(\.path) == ["/home/u/.cache/quant"])
    }

    @Test func anExplicitDataFolderWithoutTheDatasetIsAnErrorNotAFallback() throws {
        let temp = try TemporaryFolder(), cache = try TemporaryFolder()
        _ = try cache.writeTinyDataset(in: "quant/mnist")   // a copy the flag must not fall back to
        let empty = temp.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let store = DataStore(dataDirectory: empty.path, environment: ["XDG_CACHE_HOME": cache.url.path],
                              fetch: { url in Issue.record("downloaded \(url) for an explicit --data"); return Data() })
        #expect(throws: DatasetError.notInDataFolder(.mnist, folder: empty.path, parent: nil)) { try store.load(.mnist) }

        // The slip of passing the mnist/ folder itself gets a hint at its parent.
        let mnist = try temp.writeTinyDataset(in: "mnist")
        let inside = DataStore(dataDirectory: mnist.path, environment: ["XDG_CACHE_HOME": cache.url.path])
        #expect(throws: DatasetError.notInDataFolder(.mnist, folder: mnist.path, parent: temp.url.path)) { try inside.load(.mnist) }
        #expect(DatasetError.notInDataFolder(.mnist, folder: mnist.path, parent: temp.url.path).description
                    .contains("pass the folder above it: --data \(temp.url.path)"))
    }

    @Test func loadsAndNormalisesWithTrainingStatistics() throws {
        let temp = try TemporaryFolder()
        let folder = try temp.writeTinyDataset(in: "mnist")
        let data = try ImageClassificationData(kind: .mnist, folder: folder, verify: false)
        #expect(data.train.count == 3 && data.test.count == 2)
        #expect(data.train.labels == [1, 0, 9] && data.test.labels == [3, 4])
        // Training pixels: 6 of 12 are 255 → mean 0.5, std 0.5.
        #expect(data.train.normalization == Normalization(mean: 0.5, standardDeviation: 0.5))
        #expect(data.train.images[0..<4] == [-1, 1, -1, 1])
        #expect(data.test.images[0..<4] == [1, -1, -1, -1])
        #expect(data.train.pixelIntensities(at: 2) == [1, 1, 1, 1])
        #expect(data.train.classCounts == [1, 1, 0, 0, 0, 0, 0, 0, 0, 1])
        // The published checksums reject the made-up files.
        #expect(throws: DatasetError.self) { try ImageClassificationData(kind: .mnist, folder: folder) }
    }

    @Test func rejectsFilesThatDoNotFitTogether() throws {
        let temp = try TemporaryFolder()
        let folder = try temp.writeTinyDataset(in: "mnist")
        try Data(IDXFixture.idx(shape: [2], elements: [1, 2])).write(to: folder.appendingPathComponent(DatasetKind.fileNames[1]))
        #expect(throws: DatasetError.inconsistent("3 images but 2 labels")) {
            try ImageClassificationData(kind: .mnist, folder: folder, verify: false)
        }
        try Data(IDXFixture.idx(shape: [3], elements: [1, 2, 10])).write(to: folder.appendingPathComponent(DatasetKind.fileNames[1]))
        #expect(throws: DatasetError.inconsistent("label 10 of image 2 is not a class index in 0..<10")) {
            try ImageClassificationData(kind: .mnist, folder: folder, verify: false)
        }
    }

    @Test func reportsIncompleteFolder() throws {
        let temp = try TemporaryFolder()
        let folder = try temp.writeTinyDataset(in: "mnist")
        try FileManager.default.removeItem(at: folder.appendingPathComponent(DatasetKind.fileNames[3]))
        let store = DataStore(dataDirectory: temp.url.path, environment: ["HOME": temp.url.path])
        #expect(throws: DatasetError.incomplete(folder: folder.path, missing: [DatasetKind.fileNames[3]])) { try store.locate(.mnist) }
    }

    @Test func offlineErrorSaysWhereToPutWhichFiles() throws {
        let temp = try TemporaryFolder()
        struct Offline: Error, CustomStringConvertible { var description: String { "offline" } }
        let store = DataStore(environment: ["HOME": temp.url.path], fetch: { _ in throw Offline() })
        do {
            _ = try store.load(.mnist)
            Issue.record("loaded MNIST from an empty cache while offline")
        } catch {
            let text = error.description
            #expect(text.contains(temp.url.path + "/.cache/quant/mnist/"))
            for name in DatasetKind.fileNames { #expect(text.contains(name)) }
            #expect(text.contains("ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz: offline"))
            #expect(text.contains("QUANT_DATA"))
        }
        #expect(!FileManager.default.fileExists(atPath: temp.url.path + "/.cache/quant/mnist"))
    }

    @Test func downloadWithWrongContentsIsRejectedAndNotStored() throws {
        let temp = try TemporaryFolder()
        let fake = Data(IDXFixture.gzip(IDXFixture.idx(shape: [1], elements: [0])))
        let store = DataStore(environment: ["HOME": temp.url.path], fetch: { _ in fake })
        #expect(throws: DatasetError.self) { try store.load(.mnist) }
        #expect(!FileManager.default.fileExists(atPath: store.cacheFolder.appendingPathComponent("mnist").path))
    }

    /// With the real MNIST (CI sets QUANT_DATA), a "download" from it is
    /// verified and stored in a fresh cache, and the statistics are MNIST's.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["QUANT_DATA"] != nil))
    func downloadsVerifiesAndStoresRealMNIST() throws {
        let source = URL(fileURLWithPath: ProcessInfo.processInfo.environment["QUANT_DATA"]!).appendingPathComponent("mnist")
        let temp = try TemporaryFolder()
        let store = DataStore(environment: ["HOME": temp.url.path], fetch: { url in
            try Data(contentsOf: source.appendingPathComponent(url.lastPathComponent))
        })
        let data = try store.load(.mnist)
        #expect(data.folder.path == store.cacheFolder.appendingPathComponent("mnist").path)
        #expect(data.train.count == 60_000 && data.test.count == 10_000)
        #expect(data.train.classCounts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(data.test.classCounts == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        expectClose(data.train.normalization.mean, 0.1307, atol: 5e-5)
        expectClose(data.train.normalization.standardDeviation, 0.3081, atol: 5e-5)
        for name in DatasetKind.fileNames {
            #expect(try Data(contentsOf: data.folder.appendingPathComponent(name)) == Data(contentsOf: source.appendingPathComponent(name)))
        }
    }
}

@Suite struct FashionMNISTTests {
    /// Debian's `dataset-fashion-mnist`, found without any flag or variable.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")))
    func loadsFromTheDebianPackage() throws {
        let temp = try TemporaryFolder()
        let data = try DataStore(environment: ["HOME": temp.url.path]).load(.fashionMNIST)
        #expect(data.folder.path == "/usr/share/datasets/fashion-mnist")
        #expect(data.train.count == 60_000 && data.test.count == 10_000)
        #expect(data.train.classCounts == [Int](repeating: 6000, count: 10))
        #expect(data.test.classCounts == [Int](repeating: 1000, count: 10))
        #expect(DatasetKind.fashionMNIST.classNames[9] == "Ankle boot")
    }
}
