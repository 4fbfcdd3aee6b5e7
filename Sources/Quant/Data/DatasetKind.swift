/// The image-classification datasets Quant can load: MNIST digits and
/// Fashion-MNIST clothing, both 28×28 greyscale images in 10 classes, stored
/// as four IDX files under the same names.
///
/// ```swift
/// let kind = DatasetKind(rawValue: "fashion-mnist")!   // from --dataset
/// kind.classNames[0]                                   // "T-shirt/top"
/// ```
public enum DatasetKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case mnist = "mnist"
    case fashionMNIST = "fashion-mnist"

    public var description: String {
        switch self {
        case .mnist: return "MNIST"
        case .fashionMNIST: return "Fashion-MNIST"
        }
    }

    /// The folder name inside a data directory: `<dir>/mnist/`, `<dir>/fashion-mnist/`.
    public var folderName: String { rawValue }

    /// The four files, in the order train images, train labels, test images, test labels.
    public static let fileNames = [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ]

    /// What each class index means.
    public var classNames: [String] {
        switch self {
        case .mnist: return (0..<10).map(String.init)
        case .fashionMNIST:
            return ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        }
    }

    /// SHA-256 of each file's *decoded* IDX bytes, in ``fileNames`` order.
    ///
    /// Checking the uncompressed contents (rather than the `.gz`) accepts
    /// the originals and any faithful recompression — Debian's
    /// `dataset-fashion-mnist` recompresses Zalando's files — and still
    /// rejects any changed pixel or label. The MNIST sums are those of the
    /// original files (whose `.gz` MD5s are published by torchvision and
    /// TensorFlow Datasets); the Fashion-MNIST sums are those of Zalando's
    /// release as shipped by Debian.
    public var decodedSHA256: [String] {
        switch self {
        case .mnist:
            return ["ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"]
        case .fashionMNIST:
            return ["c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                    "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                    "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                    "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"]
        }
    }

    /// Public mirrors that serve the four original `.gz` files (torchvision's
    /// and TensorFlow's); empty when the dataset is not downloaded.
    public var mirrors: [String] {
        switch self {
        case .mnist:
            return ["https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/"]
        case .fashionMNIST:
            return []
        }
    }

    /// Where a system package installs the files, if one does.
    public var systemDirectory: String? {
        switch self {
        case .mnist: return nil
        case .fashionMNIST: return "/usr/share/datasets/fashion-mnist"
        }
    }
}
