import Foundation
import Testing
@testable import Quant

@Suite struct NPYArrayTests {
    /// A file as `numpy.save` writes it (hand-assembled).
    static func npy(header: String, version: (UInt8, UInt8) = (1, 0), payload: [UInt8]) -> [UInt8] {
        let width = version.0 == 1 ? 2 : 4
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version.0, version.1]
        let length = header.utf8.count
        for k in 0..<width { bytes.append(UInt8(truncatingIfNeeded: length >> (8 * k))) }
        return bytes + Array(header.utf8) + payload
    }

    @Test func roundTripsEveryDTypeAndRank() throws {
        let floats = try Tensor(shape: [2, 3, 2], scalars: (0..<12).map { Float($0) * 0.25 - 1 })
        #expect(try NPYArray(bytes: NPYArray(floats).encoded()).tensor(of: Float.self) == floats)
        let scalar = try Tensor(shape: [], scalars: [Float(3.5)])
        #expect(try NPYArray(bytes: NPYArray(scalar).encoded()).tensor(of: Float.self) == scalar)
        let empty = try Tensor(shape: [0, 4], scalars: [Int16]())
        #expect(try NPYArray(bytes: NPYArray(empty).encoded()).tensor(of: Int16.self) == empty)
        let int8 = Tensor([-128, -1, 0, 127] as [Int8])
        #expect(try NPYArray(bytes: NPYArray(int8).encoded()).tensor(of: Int8.self) == int8)
        let uint8 = Tensor([0, 1, 255] as [UInt8])
        #expect(try NPYArray(bytes: NPYArray(uint8).encoded()).integerTensor() == Tensor([0, 1, 255] as [Int32]))
        let uint16 = Tensor([0, 65535] as [UInt16])
        #expect(try NPYArray(bytes: NPYArray(uint16).encoded()).tensor(of: UInt16.self) == uint16)
        let int32 = Tensor([Int32.min, 0, Int32.max])
        #expect(try NPYArray(bytes: NPYArray(int32).encoded()).tensor(of: Int32.self) == int32)
    }

    @Test func headerIsLaidOutAsNumPyDoes() throws {
        let bytes = NPYArray(try Tensor(shape: [2, 3], repeating: Float(0))).encoded()
        let header = String(decoding: bytes[10..<(bytes.count - 24)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        #expect(header.hasSuffix("\n"))
        #expect((bytes.count - 24) % 64 == 0)
        #expect(Array(bytes[6..<8]) == [1, 0])
        let oneD = NPYArray(Tensor([1] as [UInt8])).encoded()
        #expect(String(decoding: oneD, as: UTF8.self).contains("'shape': (1,)"))
    }

    @Test func readsVersionsTwoAndThreeAndNumPyVariants() throws {
        let payload: [UInt8] = [1, 0, 2, 0]
        for version: (UInt8, UInt8) in [(1, 0), (2, 0), (3, 0)] {
            let file = Self.npy(header: "{\"descr\": \"<i2\", \"shape\": (2,), \"fortran_order\": False}   \n", version: version, payload: payload)
            #expect(try NPYArray(bytes: file).tensor(of: Int16.self) == Tensor([1, 2] as [Int16]))
        }
        let longs = Self.npy(header: "{'descr': '|u1', 'fortran_order': False, 'shape': (1L, 2L), }\n", payload: [7, 8])
        #expect(try NPYArray(bytes: longs).shape == [1, 2])
        let native = Self.npy(header: "{'descr': '<i1', 'fortran_order': False, 'shape': (), }\n", payload: [255])
        #expect(try NPYArray(bytes: native).tensor(of: Int8.self).scalars == [-1])
    }

    @Test func rejectsMalformedFilesClearly() throws {
        let good = NPYArray(Tensor([1, 2, 3] as [Float])).encoded()
        #expect(throws: NPYError.notNPY) { try NPYArray(bytes: Array("hello, world".utf8)) }
        #expect(throws: NPYError.notNPY) { try NPYArray(bytes: []) }
        #expect(throws: NPYError.unsupportedVersion(major: 4, minor: 0)) {
            try NPYArray(bytes: Array(good[0..<6]) + [4, 0] + Array(good[8...]))
        }
        // Every truncation is an error, never a crash.
        for length in 1..<good.count {
            #expect(throws: NPYError.self) { try NPYArray(bytes: Array(good[0..<length])) }
        }
        #expect(throws: NPYError.truncated(part: "data", needed: 12, available: 11)) { try NPYArray(bytes: Array(good.dropLast())) }
        #expect(throws: NPYError.trailingBytes(extra: 1)) { try NPYArray(bytes: good + [0]) }
        let cases: [(String, NPYError)] = [
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", .unsupportedDType("<f8")),
            ("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", .unsupportedDType(">f4")),
            ("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", .unsupportedDType("<i8")),
            ("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", .fortranOrder),
            ("{'descr': '<f4', 'shape': (1,), }", .malformedHeader(reason: "keys are [\"descr\", \"shape\"], expected descr, fortran_order, shape")),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", .malformedHeader(reason: "expected a non-negative integer in shape at offset 51")),
            ("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", .malformedHeader(reason: "unexpected '0' at offset 34")),
            ("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", .malformedHeader(reason: "unexpected '[' at offset 10")),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,) ", .malformedHeader(reason: "expected ',' at offset 56, found the end")),
            ("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x", .malformedHeader(reason: "unexpected text after the dictionary")),
        ]
        for (header, error) in cases {
            #expect(throws: error, "\(header)") { try NPYArray(bytes: Self.npy(header: header + "\n", payload: [0, 0, 0, 0])) }
        }
        #expect(throws: NPYError.malformedHeader(reason: "shape [4611686018427387904, 4] has too many elements")) {
            try NPYArray(bytes: Self.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }\n", payload: []))
        }
        #expect(throws: NPYError.dtypeMismatch(expected: "float32", actual: "uint8")) {
            try NPYArray(Tensor([1] as [UInt8])).tensor(of: Float.self)
        }
        #expect(NPYError.fortranOrder.description.contains("C order"))
    }

    @Test func writesAtomicallyAndReportsBadFolders() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("npy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.npy")
        let array = NPYArray(Tensor([1, 2] as [Float]))
        try array.write(to: url)
        #expect(try NPYArray(contentsOf: url) == array)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["x.npy"])
        let missing = folder.appendingPathComponent("no/such/folder/x.npy")
        #expect(throws: NPYError.self) { try array.write(to: missing) }
        #expect(throws: NPYError.io(path: missing.path, reason: "no such file")) { try NPYArray(contentsOf: missing) }
    }
}
