import Foundation

/// A dataset's training and test splits, both normalised with the training
/// split's statistics, and where they came from.
///
/// ```swift
/// let data = try DataStore(dataDirectory: options.data).load(.mnist)
/// print(data.train.count, data.test.count, data.train.normalization)
/// ```
public struct ImageClassificationData: Sendable {
    /// Which dataset this is.
    public let kind: DatasetKind
    /// The training split (normalisation fitted here).
    public let train: ImageDataset
    /// The test split (same normalisation as `train`).
    public let test: ImageDataset
    /// The folder the files were read from.
    public let folder: URL
    /// A SHA-256 over the four files' decoded contents: identifies the data
    /// in checkpoint-cache keys.
    public let checksum: String

    /// Reads the four IDX files in `folder` and checks them.
    ///
    /// - Parameter verify: compare each file's decoded SHA-256 with the
    ///   published one (``DatasetKind/decodedSHA256``); pass `false` only for
    ///   data that is known to differ (e.g. a hand-made test folder).
    public init(kind: DatasetKind, folder: URL, verify: Bool = true) throws(DatasetError) {
        var arrays = [IDXArray]()
        for (index, name) in DatasetKind.fileNames.enumerated() {
            let url = folder.appendingPathComponent(name)
            let array: IDXArray
            do { array = try IDXArray(contentsOf: url) } catch { throw .idx(error) }
            if verify, array.sha256 != kind.decodedSHA256[index] {
                throw .checksumMismatch(path: url.path, expected: kind.decodedSHA256[index], found: array.sha256)
            }
            arrays.append(array)
        }
        try self.init(kind: kind, arrays: arrays, folder: folder)
    }

    /// Builds the splits from the four decoded files (train images, train
    /// labels, test images, test labels).
    init(kind: DatasetKind, arrays: [IDXArray], folder: URL) throws(DatasetError) {
        let (trainImages, trainLabels, testImages, testLabels) = (arrays[0], arrays[1], arrays[2], arrays[3])
        for (array, name, rank) in [(trainImages, DatasetKind.fileNames[0], 3), (trainLabels, DatasetKind.fileNames[1], 1),
                                    (testImages, DatasetKind.fileNames[2], 3), (testLabels, DatasetKind.fileNames[3], 1)]
            where array.shape.count != rank {
            throw .inconsistent("\(name) has shape \(array.shape); expected rank \(rank)")
        }
        guard trainImages.shape[1...] == testImages.shape[1...] else {
            throw .inconsistent("training images are \(trainImages.shape[1...]) but test images are \(testImages.shape[1...])")
        }
        let normalization = Normalization.fit(pixels: trainImages.elements)
        let rows = trainImages.shape[1], columns = trainImages.shape[2]
        self.kind = kind
        self.train = try ImageDataset(pixels: trainImages.elements, labels: trainLabels.elements,
                                      imageRows: rows, imageColumns: columns, normalization: normalization)
        self.test = try ImageDataset(pixels: testImages.elements, labels: testLabels.elements,
                                     imageRows: rows, imageColumns: columns, normalization: normalization)
        self.folder = folder
        self.checksum = SHA256.hexDigest(of: Array(arrays.map(\.sha256).joined(separator: "\n").utf8))
    }
}
