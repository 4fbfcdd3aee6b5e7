import Testing
@testable import Quant

/// The SIMD loops against their one-line definitions, on sizes that use
/// both the lanes and the scalar tail, in place and out of place.
@Suite struct ElementwiseTests {
    @Test func reluAndItsGradientMatchTheDefinition() {
        var g = SeededGenerator(seed: 11)
        let count = 19
        let x = Distribution.normal(mean: 0, standardDeviation: 1).samples(count, using: &g)
        let dy = Distribution.normal(mean: 0, standardDeviation: 1).samples(count, using: &g)
        var y = [Float](repeating: .nan, count: count)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { Elementwise.relu(xp.baseAddress!, into: $0.baseAddress!, count: count) } }
        #expect(y == x.map { max($0, 0) })
        var inPlace = x
        inPlace.withUnsafeMutableBufferPointer { Elementwise.relu($0.baseAddress!, into: $0.baseAddress!, count: count) }
        #expect(inPlace == y)
        var dx = dy
        y.withUnsafeBufferPointer { yp in
            dx.withUnsafeMutableBufferPointer { Elementwise.reluGradient(output: yp.baseAddress!, outputGradient: $0.baseAddress!, into: $0.baseAddress!, count: count) }
        }
        #expect(dx == zip(y, dy).map { $0 > 0 ? $1 : 0 })
    }

    @Test func columnSumsMatchTheDefinition() {
        let (rows, columns) = (3, 11)
        let m = (0..<(rows * columns)).map { Float($0) }
        var sums = [Float](repeating: .nan, count: columns)
        m.withUnsafeBufferPointer { mp in sums.withUnsafeMutableBufferPointer { Elementwise.columnSums(mp.baseAddress!, rows: rows, columns: columns, into: $0.baseAddress!) } }
        #expect(sums == (0..<columns).map { j in (0..<rows).reduce(Float(0)) { $0 + m[$1 * columns + j] } })
    }
}
