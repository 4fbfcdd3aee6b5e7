import Foundation
import Testing
@testable import Quant
import TestSupport

/// The `quant` tool, run as a subprocess exactly as a user runs it.
@Suite struct QuantCLITests {
    struct Run {
        let status: Int32
        let stderr: String
    }

    /// A fresh folder for one test, removed afterwards by the caller.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("quant-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the built `quant` (beside the test bundle) with `arguments`.
    static func quant(_ arguments: [String]) throws -> Run {
        let run = try BuiltProduct("quant").run(arguments)
        return Run(status: run.status, stderr: run.stderr)
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    static let input: Tensor<Float> = {
        var g = SeededGenerator(seed: 42)
        return try! Tensor(shape: [4, 3, 5], scalars: Distribution.normal(mean: 0.5, standardDeviation: 2).samples(60, using: &g))
    }()

    @Test func quantizeWritesCodesAndParametersAndDequantizeInvertsThem() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = dir.appendingPathComponent("x.npy"), q = dir.appendingPathComponent("q.npy")
        try NPYArray(Self.input).write(to: x)
        let run = try Self.quant(["quantize", x.path, "-o", q.path, "--bits", "8"])
        #expect(run.status == 0, "\(run.stderr)")

        let quantizer = try Quantizer(scheme: QuantScheme(bits: 8), observing: Self.input)
        let codes = try NPYArray(contentsOf: q)
        #expect(codes.dtype == .uint8 && codes.shape == [4, 3, 5])
        #expect(try codes.integerTensor() == quantizer.quantize(Self.input))

        let params = try Self.json(dir.appendingPathComponent("q.json"))
        #expect(params["scheme"] as? String == "per_tensor_affine")
        #expect(params["bits"] as? Int == 8)
        #expect(params["signed"] as? Bool == false && params["symmetric"] as? Bool == false)
        #expect(params["axis"] is NSNull)
        #expect((params["scale"] as? [Double])?.map { Float($0) } == quantizer.params.scales)
        #expect((params["zero_point"] as? [Int]) == quantizer.params.zeroPoints.map { Int($0) })

        let xHat = dir.appendingPathComponent("xhat.npy")
        let back = try Self.quant(["dequantize", q.path, "--params", dir.appendingPathComponent("q.json").path, "-o", xHat.path])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try NPYArray(contentsOf: xHat).tensor(of: Float.self) == quantizer.fakeQuantize(Self.input))
        #expect(params["codes_sha256"] as? String == SHA256.hexDigest(of: try Data(contentsOf: q)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["q.json", "q.npy", "x.npy", "xhat.npy"],
                "no temporary file left")
    }

    /// New codes beside the parameters of another run (what a kill between the
    /// two renames would leave) are refused by `dequantize`, not dequantized wrongly.
    @Test func codesFromAnotherRunAreRefused() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = dir.appendingPathComponent("x.npy"), y = dir.appendingPathComponent("y.npy")
        try NPYArray(Self.input).write(to: x)
        try NPYArray(Tensor(Self.input.scalars.map { 3 * $0 })).write(to: y)
        let first = dir.appendingPathComponent("a.npy"), second = dir.appendingPathComponent("b.npy")
        #expect(try Self.quant(["quantize", x.path, "-o", first.path, "--bits", "8"]).status == 0)
        #expect(try Self.quant(["quantize", y.path, "-o", second.path, "--bits", "8"]).status == 0)
        let run = try Self.quant(["dequantize", second.path, "--params", dir.appendingPathComponent("a.json").path,
                                  "-o", dir.appendingPathComponent("out.npy").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("is not the file a.json was written with") && run.stderr.contains("different runs"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.npy").path))
    }

    @Test(arguments: [
        (["--bits", "4", "--signed"], NPYDType.int8, "per_tensor_affine"),
        (["--bits", "8", "--symmetric"], .int8, "per_tensor_symmetric"),
        (["--bits", "8", "--symmetric", "--unsigned", "--per-channel", "1"], .uint8, "per_channel_symmetric"),
        (["--bits", "12", "--symmetric", "--restricted-range", "--per-channel=-1"], .int16, "per_channel_symmetric"),
        (["--bits", "16"], .uint16, "per_tensor_affine"),
        (["--bits", "1", "--per-channel", "0"], .uint8, "per_channel_affine"),
    ])
    func schemesAndNarrowestOutputTypes(flags: [String], dtype: NPYDType, scheme: String) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = dir.appendingPathComponent("x.npy"), q = dir.appendingPathComponent("q.npy")
        try NPYArray(Self.input).write(to: x)
        let run = try Self.quant(["quantize", x.path, "-o", q.path] + flags)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try NPYArray(contentsOf: q).dtype == dtype)
        let params = try Self.json(dir.appendingPathComponent("q.json"))
        #expect(params["scheme"] as? String == scheme)
        let channels = (params["axis"] as? Int).map { Self.input.shape[$0] } ?? 1
        #expect((params["scale"] as? [Double])?.count == channels)
        if flags.contains("--unsigned") && flags.contains("--symmetric") {
            #expect(params["zero_point"] as? [Int] == [Int](repeating: 128, count: channels))
        }
        let xHat = dir.appendingPathComponent("xhat.npy")
        #expect(try Self.quant(["dequantize", q.path, "--params", dir.appendingPathComponent("q.json").path, "-o", xHat.path]).status == 0)
        #expect(try NPYArray(contentsOf: xHat).shape == Self.input.shape)
    }

    @Test(arguments: [
        (["--bits", "4", "--symmetric", "--group-size", "2"],
         try! QuantScheme(bits: 4, mapping: .symmetric(restrictedRange: false), granularity: .perGroup(axis: 2, size: 2))),
        (["--bits", "8", "--group-size", "3", "--group-axis", "0"], try! QuantScheme(bits: 8, granularity: .perGroup(axis: 0, size: 3))),
        (["--binary"], try! QuantScheme(bits: 1, mapping: .binary)),
        (["--ternary", "--per-channel", "0"], try! QuantScheme(bits: 2, mapping: .ternary, granularity: .perChannel(axis: 0))),
        (["--binary", "--bits", "1", "--group-size", "4", "--group-axis=-1"],
         try! QuantScheme(bits: 1, mapping: .binary, granularity: .perGroup(axis: 2, size: 4))),
    ])
    func groupsBinaryAndTernaryRoundTrip(flags: [String], scheme: QuantScheme) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = dir.appendingPathComponent("x.npy"), q = dir.appendingPathComponent("q.npy"), json = dir.appendingPathComponent("q.json")
        try NPYArray(Self.input).write(to: x)
        let run = try Self.quant(["quantize", x.path, "-o", q.path] + flags)
        #expect(run.status == 0, "\(run.stderr)")
        let quantizer = try Quantizer(scheme: scheme, observing: Self.input)
        let codes = try NPYArray(contentsOf: q)
        #expect(codes.dtype == (scheme.isSigned ? .int8 : .uint8))
        #expect(try codes.integerTensor() == quantizer.quantize(Self.input))
        let params = try Self.json(json)
        #expect(params["scheme"] as? String == scheme.pytorchName)
        #expect(params["bits"] as? Int == scheme.bits && params["symmetric"] as? Bool == scheme.isSymmetric)
        #expect(params["axis"] as? Int == scheme.axis && params["group_size"] as? Int == scheme.groupSize)
        #expect((params["scale"] as? [Double])?.map { Float($0) } == quantizer.params.scales)
        #expect((params["scale"] as? [Double])?.count == (try scheme.parameterCount(for: Self.input.shape)))
        let xHat = dir.appendingPathComponent("xhat.npy")
        let back = try Self.quant(["dequantize", q.path, "--params", json.path, "-o", xHat.path])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try NPYArray(contentsOf: xHat).tensor(of: Float.self) == quantizer.fakeQuantize(Self.input))
    }

    /// K = 784 in groups of 128 through the tool: 7 scales per row, the last from 16 values.
    @Test func raggedGroupsRoundTripThroughTheParameterFile() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var g = SeededGenerator(seed: 784)
        let weights = try Tensor(shape: [3, 784], scalars: Distribution.normal(mean: 0, standardDeviation: 0.05).samples(3 * 784, using: &g))
        let x = dir.appendingPathComponent("w.npy"), q = dir.appendingPathComponent("q.npy"), xHat = dir.appendingPathComponent("xhat.npy")
        try NPYArray(weights).write(to: x)
        #expect(try Self.quant(["quantize", x.path, "-o", q.path, "--bits", "4", "--symmetric", "--restricted-range", "--group-size", "128"]).status == 0)
        let scales = try #require(Self.json(dir.appendingPathComponent("q.json"))["scale"] as? [Double])
        #expect(scales.count == 3 * 7)
        let tail = weights.scalars[768..<784].map(abs).max()!
        #expect(Float(scales[6]) == tail / 7)
        #expect(try Self.quant(["dequantize", q.path, "--params", dir.appendingPathComponent("q.json").path, "-o", xHat.path]).status == 0)
        let scheme = try QuantScheme(bits: 4, mapping: .symmetric(restrictedRange: true), granularity: .perGroup(axis: 1, size: 128))
        #expect(try NPYArray(contentsOf: xHat).tensor(of: Float.self) == Quantizer(scheme: scheme, observing: weights).fakeQuantize(weights))
    }

    @Test func givenParametersReplaceObservedOnes() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = dir.appendingPathComponent("x.npy"), q = dir.appendingPathComponent("q.npy")
        try NPYArray(Tensor([-1, 0, 0.26, 0.5, 100] as [Float])).write(to: x)
        #expect(try Self.quant(["quantize", x.path, "-o", q.path, "--bits", "8", "--scale", "0.25", "--zero-point", "10"]).status == 0)
        #expect(try NPYArray(contentsOf: q).integerTensor().scalars == [6, 10, 11, 12, 255])
        let params = try Self.json(dir.appendingPathComponent("q.json"))
        #expect(params["scale"] as? [Double] == [0.25] && params["zero_point"] as? [Int] == [10])
    }

    @Test func outputIsDeterministic() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = dir.appendingPathComponent("x.npy")
        try NPYArray(Self.input).write(to: x)
        for name in ["a", "b"] {
            #expect(try Self.quant(["quantize", x.path, "-o", dir.appendingPathComponent("\(name).npy").path, "--bits", "5", "--per-channel", "2"]).status == 0)
        }
        for ext in ["npy", "json"] {
            #expect(try Data(contentsOf: dir.appendingPathComponent("a.\(ext)")) == Data(contentsOf: dir.appendingPathComponent("b.\(ext)")))
        }
    }

    /// Bad input of every kind: one line on stderr, a non-zero status, no output.
    @Test func badInputIsOneLineErrorWithoutOutput() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let good = NPYArray(Self.input).encoded()
        try Data(good).write(to: URL(fileURLWithPath: path("x.npy")))
        try Data(good.prefix(good.count - 7)).write(to: URL(fileURLWithPath: path("truncated.npy")))
        try Data(good.prefix(30)).write(to: URL(fileURLWithPath: path("header.npy")))
        try Data("not numpy".utf8).write(to: URL(fileURLWithPath: path("text.npy")))
        try NPYArray(Tensor([1, 2] as [Int32])).write(to: URL(fileURLWithPath: path("ints.npy")))
        try NPYArray(Tensor([1, .nan] as [Float])).write(to: URL(fileURLWithPath: path("nan.npy")))
        try NPYArray(Tensor([Float]())).write(to: URL(fileURLWithPath: path("empty.npy")))
        var fortran = good
        let header = String(decoding: good.prefix(128), as: UTF8.self).replacingOccurrences(of: "False", with: "True ")
        fortran.replaceSubrange(0..<128, with: Array(header.utf8))
        try Data(fortran).write(to: URL(fileURLWithPath: path("fortran.npy")))
        var double = good
        double.replaceSubrange(0..<128, with: Array(String(decoding: good.prefix(128), as: UTF8.self).replacingOccurrences(of: "<f4", with: "<f8").utf8))
        try Data(double).write(to: URL(fileURLWithPath: path("double.npy")))
        try NPYArray(Tensor([0, 5, 300] as [Int16])).write(to: URL(fileURLWithPath: path("codes.npy")))
        try NPYArray(Tensor([0, 5] as [UInt8])).write(to: URL(fileURLWithPath: path("codes8.npy")))
        try NPYArray(Tensor([1, -1, 0] as [Int8])).write(to: URL(fileURLWithPath: path("signs.npy")))
        let base = #"{"scheme": "per_tensor_affine", "bits": 8, "signed": false, "symmetric": false, "axis": null, "scale": [0.5], "zero_point": [3]}"#
        let paramFiles = [
            "garbage.json": "{ not json",
            "missing.json": #"{"scheme": "per_tensor_affine", "bits": 8}"#,
            "type.json": base.replacingOccurrences(of: #""bits": 8"#, with: #""bits": "8""#),
            "zp.json": base.replacingOccurrences(of: "[3]", with: "[300]"),
            "scale.json": base.replacingOccurrences(of: "[0.5]", with: "[-0.5]"),
            "scheme.json": base.replacingOccurrences(of: "per_tensor_affine", with: "per_tensor_symmetric"),
            "count.json": base.replacingOccurrences(of: "[0.5]", with: "[0.5, 1]"),
            "bits.json": base.replacingOccurrences(of: #""bits": 8"#, with: #""bits": 40"#),
            "axis.json": base.replacingOccurrences(of: "null", with: "3").replacingOccurrences(of: "per_tensor", with: "per_channel"),
            "groupaxis.json": base.replacingOccurrences(of: #""axis": null"#, with: #""axis": null, "group_size": 2"#),
            "groupsize.json": base.replacingOccurrences(of: #""axis": null"#, with: #""axis": 0, "group_size": 0"#)
                .replacingOccurrences(of: "per_tensor", with: "per_group"),
            "groupcount.json": base.replacingOccurrences(of: #""axis": null"#, with: #""axis": 0, "group_size": 1"#)
                .replacingOccurrences(of: "per_tensor", with: "per_group"),
            "groupname.json": base.replacingOccurrences(of: #""axis": null"#, with: #""axis": 0, "group_size": 2"#)
                .replacingOccurrences(of: "per_tensor", with: "per_channel"),
            "binarysym.json": #"{"scheme": "per_tensor_binary", "bits": 1, "signed": true, "symmetric": false, "axis": null, "scale": [0.5], "zero_point": [0]}"#,
        ]
        for (name, text) in paramFiles { try Data(text.utf8).write(to: URL(fileURLWithPath: path(name))) }
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))

        let quantize = ["quantize", "-o", path("out.npy")]
        let cases: [[String]] = [
            quantize + [path("truncated.npy"), "--bits", "8"],
            quantize + [path("header.npy"), "--bits", "8"],
            quantize + [path("text.npy"), "--bits", "8"],
            quantize + [path("missing.npy"), "--bits", "8"],
            quantize + [path("ints.npy"), "--bits", "8"],
            quantize + [path("fortran.npy"), "--bits", "8"],
            quantize + [path("double.npy"), "--bits", "8"],
            quantize + [path("nan.npy"), "--bits", "8"],
            quantize + [path("empty.npy"), "--bits", "8"],
            quantize + [path("x.npy")],
            quantize + [path("x.npy"), "--bits", "eight"],
            quantize + [path("x.npy"), "--bits", "8", "--signed", "--unsigned"],
            quantize + [path("x.npy"), "--bits", "0"],
            quantize + [path("x.npy"), "--bits", "17"],
            quantize + [path("x.npy"), "--bits", "8", "--per-channel", "3"],
            quantize + [path("x.npy"), "--bits", "8", "--scale", "0.1"],
            quantize + [path("x.npy"), "--bits", "8", "--scale", "0.1", "--zero-point", "256"],
            quantize + [path("x.npy"), "--bits", "8", "--scale", "zero", "--zero-point", "0"],
            quantize + [path("x.npy"), "--bits", "8", "--symmetric", "--scale", "0.1", "--zero-point", "5"],
            quantize + [path("x.npy"), "--bits", "1", "--symmetric", "--restricted-range"],
            quantize + [path("x.npy"), "--bits", "8", "--restricted-range"],
            quantize + [path("x.npy"), "--bits", "4", "--group-size", "0"],
            quantize + [path("x.npy"), "--bits", "4", "--group-size", "2", "--per-channel", "0"],
            quantize + [path("x.npy"), "--bits", "4", "--group-axis", "0"],
            quantize + [path("x.npy"), "--bits", "4", "--group-size", "2", "--group-axis", "3"],
            quantize + [path("x.npy"), "--bits", "4", "--scale", "0.1", "--zero-point", "0", "--group-size", "2"],
            quantize + [path("x.npy"), "--binary", "--bits", "4"],
            quantize + [path("x.npy"), "--ternary", "--bits", "1"],
            quantize + [path("x.npy"), "--binary", "--ternary"],
            quantize + [path("x.npy"), "--binary", "--symmetric"],
            quantize + [path("x.npy"), "--ternary", "--unsigned"],
            quantize + [path("x.npy"), "--ternary", "--restricted-range"],
            quantize + [path("x.npy"), "--binary", "--scale", "0.5", "--zero-point", "1"],
            ["quantize", path("x.npy"), "--bits", "8", "-o", path("no/such/folder/out.npy")],
            ["quantize", path("x.npy"), "--bits", "8", "-o", path("out.json")],
        ] + ["garbage", "missing", "type", "zp", "scale", "scheme", "count", "bits", "axis",
             "groupaxis", "groupsize", "groupcount", "groupname", "binarysym"].map {
            ["dequantize", path("codes8.npy"), "--params", path("\($0).json"), "-o", path("out.npy")]
        } + [
            ["dequantize", path("x.npy"), "--params", path("zp.json"), "-o", path("out.npy")],
            ["dequantize", path("codes.npy"), "--params", path("nothing.json"), "-o", path("out.npy")],
            ["dequantize", path("truncated.npy"), "--params", path("count.json"), "-o", path("out.npy")],
        ]
        for arguments in cases {
            let run = try Self.quant(arguments)
            let lines = run.stderr.split(separator: "\n")
            #expect(run.status != 0, "\(arguments) succeeded")
            #expect(lines.count == 1 && lines[0].hasPrefix("quant: error: "), "\(arguments): \(run.stderr)")
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == before, "\(arguments) left output")
        }
        // A code outside the scheme's range (300 for 8 bits) is also refused.
        try Data(base.utf8).write(to: URL(fileURLWithPath: path("base.json")))
        let outOfRange = try Self.quant(["dequantize", path("codes.npy"), "--params", path("base.json"), "-o", path("out.npy")])
        #expect(outOfRange.status != 0 && outOfRange.stderr.contains("code 300 at element 2"))
        #expect(!FileManager.default.fileExists(atPath: path("out.npy")))
        // 0 is not a binary code.
        let binary = #"{"scheme": "per_tensor_binary", "bits": 1, "signed": true, "symmetric": true, "axis": null, "scale": [0.5], "zero_point": [0]}"#
        try Data(binary.utf8).write(to: URL(fileURLWithPath: path("binary.json")))
        let zero = try Self.quant(["dequantize", path("signs.npy"), "--params", path("binary.json"), "-o", path("out.npy")])
        #expect(zero.status != 0 && zero.stderr.contains("code 0 at element 2 is not a binary code"))
        #expect(!FileManager.default.fileExists(atPath: path("out.npy")))
    }
}
