/// One split (training or test) of an image-classification dataset, ready
/// for a model: every image flattened to `featureCount` normalised floats.
///
/// Images are stored contiguously (`images[i*featureCount ..< (i+1)*featureCount]`
/// is image `i`), so a mini-batch is a gather of rows into one buffer
/// (see ``MiniBatches``). Labels are class indices in `0..<classCount`.
///
/// ```swift
/// let data = try DataStore().load(.mnist)
/// data.train.count          // 60000
/// data.train.featureCount   // 784
/// data.train.classCounts    // [5923, 6742, ...]
/// ```
public struct ImageDataset: Sendable {
    /// The normalised images, `count × featureCount`, row-major.
    public let images: [Float]
    /// The class of each image, in `0..<classCount`.
    public let labels: [Int32]
    /// The number of images.
    public let count: Int
    /// The image height and width in pixels (`featureCount = rows × columns`).
    public let imageRows: Int, imageColumns: Int
    /// The number of classes.
    public let classCount: Int
    /// The normalisation applied to the pixels (fitted on the training split).
    public let normalization: Normalization

    /// The number of inputs per image.
    public var featureCount: Int { imageRows * imageColumns }

    /// A split from raw 8-bit pixels (`count × rows × columns`) and labels.
    ///
    /// - Throws: ``DatasetError/inconsistent(_:)`` when the pixel count is
    ///   not a whole number of images, the label count differs from the image
    ///   count, or a label is not below `classCount`.
    public init(pixels: [UInt8], labels: [UInt8], imageRows: Int, imageColumns: Int,
                classCount: Int = 10, normalization: Normalization) throws(DatasetError) {
        let features = imageRows * imageColumns
        guard features > 0, pixels.count % features == 0 else {
            throw .inconsistent("\(pixels.count) pixels is not a whole number of \(imageRows)×\(imageColumns) images")
        }
        let count = pixels.count / features
        guard labels.count == count else {
            throw .inconsistent("\(count) images but \(labels.count) labels")
        }
        if let bad = labels.firstIndex(where: { Int($0) >= classCount }) {
            throw .inconsistent("label \(labels[bad]) of image \(bad) is not a class index in 0..<\(classCount)")
        }
        // A 256-entry table: one lookup per pixel instead of a divide.
        let table = (0...255).map { normalization.apply(UInt8($0)) }
        self.images = [Float](unsafeUninitializedCapacity: pixels.count) { out, initialized in
            table.withUnsafeBufferPointer { t in
                pixels.withUnsafeBufferPointer { p in
                    guard let dst = out.baseAddress, let src = p.baseAddress, let lookup = t.baseAddress else { return }
                    var i = 0
                    while i < p.count { (dst + i).initialize(to: lookup[Int(src[i])]); i &+= 1 }
                }
            }
            initialized = pixels.count
        }
        self.labels = labels.map { Int32($0) }
        self.count = count
        self.imageRows = imageRows
        self.imageColumns = imageColumns
        self.classCount = classCount
        self.normalization = normalization
    }

    /// A split from already-prepared features (for synthetic data and tests);
    /// `imageRows × imageColumns` must equal the features per example.
    public init(images: [Float], labels: [Int32], imageRows: Int, imageColumns: Int,
                classCount: Int, normalization: Normalization = Normalization(mean: 0, standardDeviation: 1)) throws(DatasetError) {
        let features = imageRows * imageColumns
        guard features > 0, images.count == labels.count * features else {
            throw .inconsistent("\(images.count) values is not \(labels.count) examples of \(features) features")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classCount }) {
            throw .inconsistent("label \(labels[bad]) of example \(bad) is not a class index in 0..<\(classCount)")
        }
        self.images = images
        self.labels = labels
        self.count = labels.count
        self.imageRows = imageRows
        self.imageColumns = imageColumns
        self.classCount = classCount
        self.normalization = normalization
    }

    /// The first `n` examples (all of them when `n ≥ count`), e.g. for a quick run.
    public func prefix(_ n: Int) -> ImageDataset {
        let n = max(0, min(n, count))
        return ImageDataset(unchecked: Array(images[0..<(n * featureCount)]), labels: Array(labels[0..<n]), from: self)
    }

    /// How many examples each class has.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// Image `index` as pixel intensities in [0, 1] (normalisation undone), for display.
    public func pixelIntensities(at index: Int) -> [Float] {
        images[(index * featureCount)..<((index + 1) * featureCount)].map(normalization.invert)
    }

    private init(unchecked images: [Float], labels: [Int32], from other: ImageDataset) {
        self.images = images
        self.labels = labels
        self.count = labels.count
        self.imageRows = other.imageRows
        self.imageColumns = other.imageColumns
        self.classCount = other.classCount
        self.normalization = other.normalization
    }
}
