import Testing
import TestSupport
@testable import Quant

/// GPTQ on one weight matrix: agreement with round-to-nearest where it must
/// agree, a lower loss where inputs are correlated, a case checked by hand,
/// groups, act-order, dead inputs, lazy blocks, storage and errors.
@Suite struct GPTQTests {
    /// A random layer problem: weights `n × k`, and `rows` correlated inputs
    /// (`X = Z·M` for Gaussian `Z` and a random mixing `M`) with their Hessian.
    struct Problem {
        let n: Int, k: Int
        let weight: [Float]
        let inputs: [Float]
        let hessian: LayerHessian

        init(n: Int, k: Int, rows: Int = 256, seed: UInt64) throws {
            var g = SeededGenerator(seed: seed)
            let normal = Distribution.normal(mean: 0, standardDeviation: 1)
            let z = normal.samples(rows * k, using: &g), mixing = normal.samples(k * k, using: &g)
            var x = [Float](repeating: 0, count: rows * k)
            for r in 0..<rows {
                for i in 0..<k { x[r * k + i] = (0..<k).reduce(0) { $0 + z[r * k + $1] * mixing[$1 * k + i] } }
            }
            (self.n, self.k, inputs) = (n, k, x)
            weight = Distribution.normal(mean: 0, standardDeviation: 0.1).samples(n * k, using: &g)
            let calibrator = HessianCalibrator()
            x.withUnsafeBufferPointer { calibrator.observe($0, rows: rows, features: k) }
            hessian = try calibrator.hessian()
        }

        func gptq(_ grid: WeightGrid, _ gptq: GPTQ = .paper, hessian: LayerHessian? = nil) throws -> GPTQResult {
            try gptq.quantize(weight: weight, outFeatures: n, inFeatures: k, hessian: hessian ?? self.hessian, grid: grid)
        }
    }

    static let grids: [WeightGrid] = [
        try! WeightGrid(bits: 2), try! WeightGrid(bits: 3, groupSize: 5), try! WeightGrid(bits: 4, scale: .mse()),
        try! WeightGrid(bits: 8, groupSize: 8, scale: .mse(grid: 20, maxShrink: 0.5)), try! .ternary(), try! .ternary(groupSize: 4),
    ]

    /// `H = I`: every input independent, so no error is worth moving and
    /// GPTQ is round-to-nearest, code for code (in order and with act-order).
    @Test(arguments: grids)
    func identityHessianIsRoundToNearest(grid: WeightGrid) throws {
        let problem = try Problem(n: 6, k: 13, seed: 1)
        for gptq in [GPTQ.paper, GPTQ.actOrder] {
            let result = try problem.gptq(grid, gptq, hessian: .identity(size: 13))
            #expect(result.weight == result.roundToNearest, "\(grid)")
            #expect(result.loss == result.roundToNearestLoss)
        }
    }

    /// A diagonal `H` with distinct entries: still no error moves, so GPTQ is
    /// round-to-nearest — and act-order, which quantizes the inputs in
    /// decreasing `H_ii`, must put every code back at its own input.
    @Test(arguments: grids)
    func actOrderRestoresTheInputOrder(grid: WeightGrid) throws {
        let problem = try Problem(n: 5, k: 13, seed: 2)
        let energy = (0..<13).map { Double(($0 * 7) % 13 + 1) }
        var matrix = [Double](repeating: 0, count: 169)
        for i in 0..<13 { matrix[i * 13 + i] = energy[i] }
        let result = try problem.gptq(grid, .actOrder, hessian: LayerHessian(matrix: matrix, size: 13))
        #expect(result.order == (0..<13).sorted { energy[$0] > energy[$1] })
        #expect(result.order.first == 11 && result.order.last == 0)
        #expect(result.weight == result.roundToNearest)
    }

    /// Act-order is about inputs, not positions: shuffling the inputs of the
    /// problem (weight columns, Hessian rows and columns) shuffles the codes.
    @Test func actOrderFollowsInputsThroughAShuffle() throws {
        let problem = try Problem(n: 4, k: 10, seed: 3)
        let shuffle = [3, 7, 0, 9, 1, 5, 8, 2, 6, 4]
        let weight = (0..<40).map { problem.weight[($0 / 10) * 10 + shuffle[$0 % 10]] }
        let matrix = (0..<100).map { problem.hessian.values[shuffle[$0 / 10] * 10 + shuffle[$0 % 10]] }
        let grid = try WeightGrid(bits: 3)
        let original = try problem.gptq(grid, .actOrder)
        let shuffled = try GPTQ.actOrder.quantize(weight: weight, outFeatures: 4, inFeatures: 10,
                                                  hessian: LayerHessian(matrix: matrix, size: 10), grid: grid)
        let expected: [Int8] = (0..<40).map { (index: Int) -> Int8 in original.codes[(index / 10) * 10 + shuffle[index % 10]] }
        #expect(shuffled.codes == expected)
        #expect(shuffled.order.map { shuffle[$0] } == original.order)
    }

    /// Correlated inputs: GPTQ's output error is below round-to-nearest's on
    /// the same grid, and its proxy loss is exactly `tr(ΔH_λΔᵀ)`.
    @Test(arguments: [try! WeightGrid(bits: 2), try! WeightGrid(bits: 3, groupSize: 8), try! WeightGrid(bits: 4, scale: .mse())])
    func gptqBeatsRoundToNearestOnCorrelatedInputs(grid: WeightGrid) throws {
        let problem = try Problem(n: 16, k: 32, seed: 4)
        for gptq in [GPTQ.paper, GPTQ.actOrder] {
            let result = try problem.gptq(grid, gptq)
            #expect(result.loss < 0.8 * result.roundToNearestLoss, "\(grid), act-order \(gptq.actOrder)")
            var damped = problem.hessian.values
            let lambda = 0.01 * problem.hessian.diagonal.reduce(0, +) / 32
            for i in 0..<32 { damped[i * 32 + i] += lambda }
            expectClose(result.dampening, lambda, rtol: 1e-12)
            // Up to the Float32 rounding of the dequantized weights s·q.
            let exact = try LayerHessian(matrix: damped, size: 32).quadraticError(of: result.dequantized, from: problem.weight, outFeatures: 16)
            expectClose(result.proxyLoss, exact, rtol: 1e-6)
        }
    }

    /// One row, two inputs, `H = [[1, ½], [½, 1]]`, no dampening, 4 bits:
    /// `s = 0.9375/7.5 = 0.125`; input 0 clips from 7.5 to code 7 (error
    /// 0.0625), which moves input 1 by `−0.0625 · H⁻¹₀₁/H⁻¹₀₀ = +0.03125` to
    /// 0.33125 → code 3, where round-to-nearest gives 0.3 → code 2.
    @Test func handCheckedTwoInputs() throws {
        let grid = try WeightGrid(bits: 4)
        let result = try GPTQ(dampening: 0).quantize(weight: [0.9375, 0.3], outFeatures: 1, inFeatures: 2,
                                                     hessian: LayerHessian(matrix: [1, 0.5, 0.5, 1], size: 2), grid: grid)
        #expect(result.scales == [0.125] && result.codes == [7, 3])
        #expect(result.roundToNearest.codes == [7, 2] && result.dequantized == [0.875, 0.375])
        // tr(ΔHΔᵀ) = a² + b² + ab: Δ = (0.0625, −0.075) for GPTQ, (0.0625, 0.05) for RTN.
        expectClose(result.loss, 0.00484375, rtol: 1e-6)
        expectClose(result.roundToNearestLoss, 0.00953125, rtol: 1e-6)
        // 0.0625²/(4/3) + 0.04375²/1
        expectClose(result.proxyLoss, 0.00484375, rtol: 1e-6)
    }

    /// Groups along a row: ⌈K/g⌉ scales per row, the last group shorter,
    /// each scale observed from its own inputs (act-order: static groups
    /// from the original weights).
    @Test func lastGroupIsShorter() throws {
        let problem = try Problem(n: 3, k: 13, seed: 5)
        let grid = try WeightGrid(bits: 4, groupSize: 5)
        #expect(grid.groupsPerRow(inFeatures: 13) == 3 && grid.inputs(ofGroup: 2, inFeatures: 13) == 10..<13)
        for result in [try problem.gptq(grid, .actOrder), try problem.gptq(grid, .paper, hessian: .identity(size: 13))] {
            #expect(result.scales.count == 9)
            for j in 0..<3 {
                let last = problem.weight[(j * 13 + 10)..<(j * 13 + 13)].map(abs).max()!
                #expect(result.scales[j * 3 + 2] == Float(Double(last) / 7.5), "row \(j)")
            }
        }
        let perRow = try problem.gptq(WeightGrid(bits: 4))
        #expect(perRow.scales.count == 3)
    }

    /// Every code is on the grid, every scale positive, and the result packs
    /// into its format and unpacks to the same weights.
    @Test(arguments: grids)
    func codesAreStorable(grid: WeightGrid) throws {
        let problem = try Problem(n: 7, k: 19, seed: 6)
        for gptq in [GPTQ.paper, GPTQ.actOrder] {
            let result = try problem.gptq(grid, gptq)
            #expect(result.codes.allSatisfy(grid.codeRange.contains))
            #expect(result.scales.allSatisfy { $0.isFinite && $0 > 0 })
            #expect(result.scales.count == 7 * grid.groupsPerRow(inFeatures: 19))
            let packed = try result.weight.bitPacked()
            #expect(packed.format == grid.format && packed.unpackedCodes() == result.codes)
            #expect(packed.dequantized() == result.dequantized)
        }
        #expect(Self.grids.map(\.format.description) == ["int2", "int4/g5", "int4", "int8/g8", "ternary", "ternary/g4"])
    }

    /// The lazy block updates reorder the arithmetic only: any block size
    /// (with groups starting inside blocks) gives the same codes.
    @Test func blockSizeDoesNotChangeTheResult() throws {
        let problem = try Problem(n: 8, k: 40, seed: 7)
        let grid = try WeightGrid(bits: 3, groupSize: 8)
        let reference = try problem.gptq(grid, GPTQ(blockSize: 40))
        for blockSize in [1, 3, 16, 128] {
            let result = try problem.gptq(grid, GPTQ(blockSize: blockSize))
            #expect(result.weight == reference.weight, "block size \(blockSize)")
            expectClose(result.proxyLoss, reference.proxyLoss, rtol: 1e-10)
        }
    }

    /// An input that is always 0 has `H_ii = 0`: GPTQ sets its weights to 0
    /// and its `H_ii` to 1, and the rest factors without dampening and gets
    /// the codes it gets when the input is not there at all.
    @Test func deadInputsAreZeroed() throws {
        let problem = try Problem(n: 4, k: 6, seed: 8)
        let dead = problem.inputs.enumerated().map { $0.offset % 6 == 2 ? 0 : $0.element }
        let without = problem.inputs.enumerated().filter { $0.offset % 6 != 2 }.map(\.element)
        let hessians = try [(dead, 6), (without, 5)].map { inputs, k in
            let calibrator = HessianCalibrator()
            inputs.withUnsafeBufferPointer { calibrator.observe($0, rows: 256, features: k) }
            return try calibrator.hessian()
        }
        let grid = try WeightGrid(bits: 4)
        let result = try GPTQ(dampening: 0).quantize(weight: problem.weight, outFeatures: 4, inFeatures: 6,
                                                     hessian: hessians[0], grid: grid)
        let alive = problem.weight.enumerated().filter { $0.offset % 6 != 2 }.map(\.element)
        let reduced = try GPTQ(dampening: 0).quantize(weight: alive, outFeatures: 4, inFeatures: 5, hessian: hessians[1], grid: grid)
        #expect(result.deadInputs == [2] && reduced.deadInputs.isEmpty)
        #expect((0..<4).allSatisfy { result.codes[$0 * 6 + 2] == 0 })
        #expect(result.codes.enumerated().filter { $0.offset % 6 != 2 }.map(\.element) == reduced.codes)
        expectClose(result.proxyLoss, reduced.proxyLoss, rtol: 1e-9)
        expectClose(result.loss, reduced.loss, rtol: 1e-9)
    }

    /// The MSE scale search includes the min-max scale, so its error is never larger.
    @Test func mseScalesNeverLoseToMinMax() throws {
        var g = SeededGenerator(seed: 9)
        let weight = Distribution.laplace(location: 0, scale: 0.05).samples(8 * 64, using: &g)
        for bits in [2, 3, 4] {
            let error = { (grid: WeightGrid) throws -> Double in
                let q = try grid.roundToNearest(weight: weight, outFeatures: 8, inFeatures: 64).dequantized
                return zip(weight, q).reduce(0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
            }
            let minMax = try error(WeightGrid(bits: bits, groupSize: 16)), mse = try error(WeightGrid(bits: bits, groupSize: 16, scale: .mse()))
            #expect(mse < minMax, "\(bits) bits")
        }
    }

    @Test func badSettingsAndInputsAreRefused() throws {
        #expect(throws: GPTQError.bitsOutOfRange(1, supported: 2...8)) { try WeightGrid(bits: 1) }
        #expect(throws: GPTQError.bitsOutOfRange(9, supported: 2...8)) { try WeightGrid(bits: 9) }
        #expect(throws: GPTQError.groupSizeOutOfRange(0)) { try WeightGrid(bits: 4, groupSize: 0) }
        #expect(throws: GPTQError.scaleSearch(grid: 0, maxShrink: 0.8)) { try WeightGrid(bits: 4, scale: .mse(grid: 0)) }
        #expect(throws: GPTQError.scaleSearch(grid: 100, maxShrink: 1)) { try WeightGrid.ternary(scale: .mse(maxShrink: 1)) }
        #expect(throws: GPTQError.dampening(-1)) { try GPTQ(dampening: -1) }
        #expect(throws: GPTQError.self) { try GPTQ(dampening: .nan) }
        #expect(throws: GPTQError.blockSize(0)) { try GPTQ(blockSize: 0) }

        let grid = try WeightGrid(bits: 4), h = LayerHessian.identity(size: 2)
        #expect(throws: GPTQError.weightCount(expected: 4, actual: 3)) {
            try GPTQ.paper.quantize(weight: [1, 2, 3], outFeatures: 2, inFeatures: 2, hessian: h, grid: grid)
        }
        #expect(throws: GPTQError.emptyShape(outFeatures: 0, inFeatures: 2)) {
            try GPTQ.paper.quantize(weight: [], outFeatures: 0, inFeatures: 2, hessian: h, grid: grid)
        }
        #expect(throws: GPTQError.hessianSize(expected: 3, actual: 2)) {
            try GPTQ.paper.quantize(weight: [1, 2, 3], outFeatures: 1, inFeatures: 3, hessian: h, grid: grid)
        }
        #expect(throws: GPTQError.nonFiniteWeight(index: 1, value: .infinity)) {
            try GPTQ.paper.quantize(weight: [1, .infinity], outFeatures: 1, inFeatures: 2, hessian: h, grid: grid)
        }
        #expect(throws: GPTQError.hessianCount(size: 2, actual: 3)) { try LayerHessian(matrix: [1, 0, 1], size: 2) }
        #expect(throws: GPTQError.nonFiniteHessian(row: 1, column: 0, value: .infinity)) {
            try LayerHessian(matrix: [1, 0, .infinity, 1], size: 2)
        }
        #expect(throws: GPTQError.notSymmetric(row: 1, column: 0)) { try LayerHessian(matrix: [1, 0.5, 0.25, 1], size: 2) }
        // Indefinite even after dampening 1 % of the mean diagonal: pivot 1.01 − 4/1.01 at input 0.
        let indefinite = try LayerHessian(matrix: [1, 2, 2, 1], size: 2)
        do {
            _ = try GPTQ.paper.quantize(weight: [1, 2], outFeatures: 1, inFeatures: 2, hessian: indefinite, grid: grid)
            Issue.record("an indefinite Hessian was accepted")
        } catch let GPTQError.notPositiveDefinite(column, pivot, dampening) {
            #expect(column == 0 && dampening == 0.01)
            expectClose(pivot, 1.01 - 4 / 1.01, rtol: 1e-12)
        }
        let error = GPTQError.notPositiveDefinite(column: 0, pivot: -2.95, dampening: 0.01)
        #expect(ModelError.inLayer(2, .gptq(error)).description.hasPrefix("layer 2: GPTQ: the Hessian is not positive definite"))
    }
}
