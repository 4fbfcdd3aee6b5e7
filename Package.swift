// swift-tools-version:6.0
//
// Quant: runnable, literate notebooks that teach neural-network quantization,
// on a real quantization library (Quant) and a Cairo-backed plotting library
// (Plot). The manifest reads as the architecture: public modules, then the
// system libraries and C details under them, then the executables
// (command-line tool, benchmark, notebooks), then tests.
import PackageDescription

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let swiftProtobuf: Target.Dependency = .product(name: "SwiftProtobuf", package: "swift-protobuf")

let package = Package(
    name: "Quant",
    products: [
        .library(name: "Quant", targets: ["Quant"]),
        .library(name: "QuantONNX", targets: ["QuantONNX"]),
        .library(name: "Plot", targets: ["Plot"]),
        .library(name: "Notebook", targets: ["Notebook"]),
        .library(name: "NotebookSupport", targets: ["NotebookSupport"]),
        .executable(name: "quant", targets: ["quant"]),
        .executable(name: "quant-bench", targets: ["quant-bench"]),
        .executable(name: "plot-gallery", targets: ["plot-gallery"]),
        .executable(name: "notebook-mini1", targets: ["notebook-mini1"]),
        .executable(name: "notebook-mini2", targets: ["notebook-mini2"]),
        .executable(name: "notebook-mini3", targets: ["notebook-mini3"]),
        .executable(name: "notebook-mini4", targets: ["notebook-mini4"]),
        .executable(name: "notebooks", targets: ["notebooks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // MARK: Public modules

        /// Data → model → quantizer → integer kernels: tensors, datasets, layers
        /// and the `Sequential` model, quantization recipes, training, schemes
        /// and quantizers, integer matrix products, file formats.
        .target(name: "Quant", dependencies: ["CIntegerGEMM", "CZlib", "COpenBLAS"]),

        /// Quant's models as ONNX files, for ONNX Runtime and other runtimes:
        /// FP32, dynamic int8 and integer-only int8 graphs of standard operators.
        .target(name: "QuantONNX", dependencies: ["Quant", "ONNXProto", swiftProtobuf]),

        /// Report figures, in layers from the bottom: the Cairo drawing surface,
        /// scales, marks, axes, figure, layout, rendering.
        .target(name: "Plot", dependencies: ["CCairo", "CZlib"]),

        /// The literate-notebook runtime: cells, narration, figures, exports.
        .target(name: "Notebook", dependencies: ["Plot", argumentParser]),

        /// What the notebooks (and the benchmarks) share beyond the runtime:
        /// the data/seed/checkpoint flags, the FP32 model they start from
        /// (trained once, then loaded from the checkpoint cache), timing,
        /// confusion matrices, each cell's random generator, and the typed
        /// keys of every notebook's results.json.
        .target(name: "NotebookSupport", dependencies: ["Quant", "Plot", "Notebook"]),

        // MARK: Implementation details

        /// The fast int8 and low-bit (int4/int2/ternary/binary) matrix-multiply
        /// kernels (AVX-512 VNNI, AVX2, portable C), chosen at run time;
        /// wrapped by Quant's `IntegerGEMM` folder.
        .target(name: "CIntegerGEMM"),

        /// The ONNX protobuf messages (`Onnx_ModelProto`, …), generated once
        /// from onnx.proto by Scripts/generate-onnx-proto.sh and committed.
        .target(name: "ONNXProto", dependencies: [swiftProtobuf]),

        /// libcairo, found through pkg-config.
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),

        /// zlib, for reading gzip-compressed IDX files (MNIST) in memory.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        /// OpenBLAS (`cblas_sgemm`), for the matrix products of training and inference.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // MARK: Executables

        /// `quant`: quantize and dequantize NumPy .npy files from the shell,
        /// run saved models, export them to ONNX.
        .executableTarget(name: "quant", dependencies: ["Quant", "QuantONNX", argumentParser], path: "Sources/QuantCLI"),

        /// `quant-bench`: the project's one benchmark entry point (JSON lines).
        .executableTarget(name: "quant-bench", dependencies: ["Quant", "QuantONNX", "CIntegerGEMM", "COpenBLAS", "Plot", "NotebookSupport", argumentParser],
                         path: "Sources/QuantBench"),

        /// `plot-gallery`: one example of every Plot mark and layout, into Figures/gallery/.
        .executableTarget(name: "plot-gallery", dependencies: ["Plot", "Quant"], path: "Sources/PlotGallery"),

        // MARK: Notebooks

        .executableTarget(name: "notebook-mini1", dependencies: ["Quant", "Plot", "Notebook", "NotebookSupport"], path: "Notebooks/mini1"),
        .executableTarget(name: "notebook-mini2", dependencies: ["Quant", "Plot", "Notebook", "NotebookSupport"], path: "Notebooks/mini2"),
        .executableTarget(name: "notebook-mini3", dependencies: ["Quant", "Plot", "Notebook", "NotebookSupport"], path: "Notebooks/mini3"),
        .executableTarget(name: "notebook-mini4", dependencies: ["Quant", "QuantONNX", "Plot", "Notebook", "NotebookSupport"], path: "Notebooks/mini4"),

        /// `notebooks`: every notebook in order, as separate processes; depending
        /// on the notebook executables makes SwiftPM build them beside it.
        .executableTarget(name: "notebooks", dependencies: ["Quant", "Notebook", "NotebookSupport", argumentParser, "notebook-mini1", "notebook-mini2", "notebook-mini3", "notebook-mini4"],
                         path: "Sources/NotebooksRunner"),

        // MARK: Tests

        /// What every test target may use: closeness assertions, temporary
        /// folders, PNG checks and decoding, running a built executable, and
        /// the end-to-end harness every notebook's tests run it with.
        .target(name: "TestSupport", dependencies: ["Quant", "Plot", "Notebook", "CCairo"], path: "Tests/TestSupport"),
        .testTarget(name: "QuantTests", dependencies: ["Quant", "TestSupport", "quant"]),
        .testTarget(name: "QuantONNXTests", dependencies: ["QuantONNX", "ONNXProto", "Quant", "TestSupport", "quant", swiftProtobuf]),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "TestSupport"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "TestSupport"]),
        .testTarget(name: "NotebookSupportTests", dependencies: ["NotebookSupport", "TestSupport"]),
        .testTarget(name: "TestSupportTests", dependencies: ["TestSupport", "Plot"]),
        /// Runs every notebook's executable in quick mode, as a user would.
        .testTarget(name: "EndToEndTests", dependencies: ["Quant", "NotebookSupport", "TestSupport", "quant", "notebook-mini1", "notebook-mini2", "notebook-mini3", "notebook-mini4", "notebooks"]),
    ]
)
