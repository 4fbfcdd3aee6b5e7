/// Cholesky factors of symmetric positive-definite matrices, in Double,
/// row-major `n × n` (the upper triangle of the input is not read).
///
/// For `A = L·Lᵀ` with `L` lower triangular, row by row:
///
///     L[i][j] = (A[i][j] − Σ_{k<j} L[i][k]·L[j][k]) / L[j][j]     j < i
///     L[i][i] = √(A[i][i] − Σ_{k<i} L[i][k]²)
///
/// and the factorisation exists exactly when every pivot under the root is
/// positive. Every inner sum runs along two rows, so the loops read memory
/// in order and vectorise.
///
/// GPTQ needs the *upper* factor of the inverse, `A⁻¹ = Uᵀ·U`. With `J` the
/// reversal permutation (`J·A·J` is `A` with rows and columns in reverse
/// order), factor `J·A·J = M·Mᵀ`; then `A = (J·M·J)·(J·M·J)ᵀ` with `J·M·J`
/// upper triangular, so `A⁻¹ = (J·M·J)⁻ᵀ·(J·M·J)⁻¹` and
/// `U = (J·M·J)⁻¹ = J·M⁻¹·J` — one factorisation and one triangular inverse
/// (`n³/3` multiply-adds), where inverting `A` and factoring the inverse
/// would take twice that. By uniqueness of the Cholesky factor (positive
/// diagonal) it is the same `U`.
///
/// ```swift
/// let l = try Cholesky.lower([4, 2, 2, 5], size: 2)                 // [2, 0, 1, 2]
/// let u = try Cholesky.upperFactorOfInverse([4, 2, 2, 5], size: 2)  // Uᵀ·U = A⁻¹
/// ```
enum Cholesky {
    /// `A` has no Cholesky factor: the pivot of `column` (what is left of
    /// `A[column][column]` after the earlier columns) is not positive, or
    /// the matrix is not finite there.
    struct NotPositiveDefinite: Error, Equatable {
        let column: Int
        let pivot: Double
    }

    /// `L` with `A = L·Lᵀ`, zero above the diagonal.
    ///
    /// - Throws: ``NotPositiveDefinite`` at the first column whose pivot is not positive and finite.
    static func lower(_ a: [Double], size n: Int) throws(NotPositiveDefinite) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        var failure: NotPositiveDefinite?
        l.withUnsafeMutableBufferPointer { l in
            for i in 0..<n {
                for j in 0...i {
                    let s = a[i * n + j] - dot(l.baseAddress! + i * n, l.baseAddress! + j * n, count: j)
                    if i == j {
                        guard s > 0, s.isFinite else { failure = NotPositiveDefinite(column: i, pivot: s); return }
                        l[i * n + i] = s.squareRoot()
                    } else {
                        l[i * n + j] = s / l[j * n + j]
                    }
                }
            }
        }
        if let failure { throw failure }
        return l
    }

    /// `L⁻¹` of a lower-triangular `L` with a nonzero diagonal, row by row
    /// from `L·X = I`: `X[i] = (eᵢ − Σ_{k<i} L[i][k]·X[k]) / L[i][i]`, where
    /// row `k` of `X` is zero beyond column `k`.
    static func invertLower(_ l: [Double], size n: Int) -> [Double] {
        var x = [Double](repeating: 0, count: n * n)
        x.withUnsafeMutableBufferPointer { x in
            let x = x.baseAddress!
            for i in 0..<n {
                let row = x + i * n
                row[i] = 1
                for k in 0..<i where l[i * n + k] != 0 {
                    let factor = l[i * n + k], other = x + k * n
                    for t in 0...k { row[t] -= factor * other[t] }
                }
                let inverse = 1 / l[i * n + i]
                for t in 0...i { row[t] *= inverse }
            }
        }
        return x
    }

    /// `U`, upper triangular with a positive diagonal, such that `A⁻¹ = Uᵀ·U`
    /// (see the type's notes for the reversal that gives it directly).
    ///
    /// - Throws: ``NotPositiveDefinite`` naming the column of `A` (not of
    ///   the reversed matrix) whose pivot failed.
    static func upperFactorOfInverse(_ a: [Double], size n: Int) throws(NotPositiveDefinite) -> [Double] {
        var reversed = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { reversed[i * n + j] = a[(n - 1 - i) * n + (n - 1 - j)] }
        }
        let m: [Double]
        do { m = try lower(reversed, size: n) } catch { throw NotPositiveDefinite(column: n - 1 - error.column, pivot: error.pivot) }
        let inverse = invertLower(m, size: n)
        var u = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n { u[i * n + j] = inverse[(n - 1 - i) * n + (n - 1 - j)] }
        }
        return u
    }

    /// `Σ_{k<count} a[k]·b[k]`.
    @inline(__always)
    private static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var s = 0.0
        for k in 0..<count { s += a[k] * b[k] }
        return s
    }
}
