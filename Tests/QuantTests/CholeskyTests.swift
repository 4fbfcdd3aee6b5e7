import Testing
import TestSupport
@testable import Quant

/// The Cholesky helpers GPTQ stands on: exact factors of known matrices,
/// inverses, the upper factor of the inverse, and refusals.
@Suite struct CholeskyTests {
    /// `B·Bᵀ + n·I` for a random `B`: symmetric positive definite.
    static func randomSPD(_ n: Int, seed: UInt64) -> [Double] {
        var g = SeededGenerator(seed: seed)
        let b = Distribution.normal(mean: 0, standardDeviation: 1).samples(n * n, using: &g).map(Double.init)
        return (0..<(n * n)).map { index in
            let (i, j) = index.quotientAndRemainder(dividingBy: n)
            return (0..<n).reduce(i == j ? Double(n) : 0) { $0 + b[i * n + $1] * b[j * n + $1] }
        }
    }

    static func multiply(_ a: [Double], _ b: [Double], _ n: Int, transposeA: Bool = false) -> [Double] {
        (0..<(n * n)).map { index in
            let (i, j) = index.quotientAndRemainder(dividingBy: n)
            return (0..<n).reduce(0) { $0 + (transposeA ? a[$1 * n + i] : a[i * n + $1]) * b[$1 * n + j] }
        }
    }

    static func identity(_ n: Int) -> [Double] { (0..<(n * n)).map { $0 / n == $0 % n ? 1 : 0 } }

    /// The textbook example: every entry of the factor is an integer.
    @Test func knownFactorIsExact() throws {
        let a: [Double] = [4, 12, -16, 12, 37, -43, -16, -43, 98]
        #expect(try Cholesky.lower(a, size: 3) == [2, 0, 0, 6, 1, 0, -8, 5, 3])
        #expect(try Cholesky.lower([4, 2, 2, 5], size: 2) == [2, 0, 1, 2])
        #expect(try Cholesky.lower([9], size: 1) == [3])
        #expect(Cholesky.invertLower([2, 0, 1, 2], size: 2) == [0.5, 0, -0.25, 0.5])
    }

    /// `A⁻¹ = Uᵀ·U` in closed form for `A = [[4, 2], [2, 5]]`:
    /// `A⁻¹ = [[5, −2], [−2, 4]] / 16`, so `U = [[√5/4, −1/(2√5)], [0, 1/√5]]`.
    @Test func upperFactorOfInverseByHand() throws {
        let u = try Cholesky.upperFactorOfInverse([4, 2, 2, 5], size: 2)
        let root5 = 5.0.squareRoot()
        expectClose(u, [root5 / 4, -1 / (2 * root5), 0, 1 / root5], atol: 1e-15)
        #expect(u[2] == 0)
    }

    /// On random positive-definite matrices: `L·Lᵀ = A`, `L·L⁻¹ = I`, and
    /// `Uᵀ·U·A = I` with `U` upper triangular and a positive diagonal.
    @Test(arguments: [1, 2, 7, 40])
    func randomMatricesFactorAndInvert(n: Int) throws {
        let a = Self.randomSPD(n, seed: UInt64(n))
        let l = try Cholesky.lower(a, size: n)
        let lt = (0..<(n * n)).map { l[($0 % n) * n + $0 / n] }
        expectClose(Self.multiply(l, lt, n), a, rtol: 1e-12, atol: 1e-12, "L·Lᵀ")
        expectClose(Self.multiply(l, Cholesky.invertLower(l, size: n), n), Self.identity(n), atol: 1e-12, "L·L⁻¹")
        let u = try Cholesky.upperFactorOfInverse(a, size: n)
        for i in 0..<n {
            #expect(u[i * n + i] > 0)
            for j in 0..<i { #expect(u[i * n + j] == 0, "U[\(i)][\(j)] below the diagonal") }
        }
        let inverse = Self.multiply(u, u, n, transposeA: true)
        expectClose(Self.multiply(inverse, a, n), Self.identity(n), atol: 1e-10, "Uᵀ·U·A")
    }

    /// An indefinite matrix has no factor; the failing column is named in
    /// the matrix's own order (the reversal is undone).
    @Test func indefiniteMatricesAreRefused() throws {
        // [[1, 2], [2, 1]]: pivot 1 − 4 = −3 at column 1 (forwards), column 0 (reversed).
        #expect(throws: Cholesky.NotPositiveDefinite(column: 1, pivot: -3)) { try Cholesky.lower([1, 2, 2, 1], size: 2) }
        #expect(throws: Cholesky.NotPositiveDefinite(column: 0, pivot: -3)) {
            try Cholesky.upperFactorOfInverse([1, 2, 2, 1], size: 2)
        }
        // diag(1, 1, 0): singular; the reversed factorisation meets the 0 first, at column 2.
        #expect(throws: Cholesky.NotPositiveDefinite(column: 2, pivot: 0)) {
            try Cholesky.upperFactorOfInverse([1, 0, 0, 0, 1, 0, 0, 0, 0], size: 3)
        }
        #expect(throws: Cholesky.NotPositiveDefinite.self) { try Cholesky.lower([.nan], size: 1) }
    }
}
