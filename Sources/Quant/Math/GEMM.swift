import COpenBLAS

/// Row-major single-precision matrix products through OpenBLAS.
///
/// `C ← α·op(A)·op(B) + β·C` with `op(A)` of shape `m × k` and `op(B)` of
/// shape `k × n`; `transposeA`/`transposeB` read a stored matrix as its
/// transpose without copying (`lda`, `ldb` are the stored row lengths).
/// All three products of a linear layer — forward `X·Wᵀ`, weight gradient
/// `dYᵀ·X` and input gradient `dY·W` — are one call each.
enum GEMM {
    @inline(__always)
    static func multiply(m: Int, n: Int, k: Int,
                         _ a: UnsafePointer<Float>, transposeA: Bool = false,
                         _ b: UnsafePointer<Float>, transposeB: Bool = false,
                         into c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0) {
        guard m > 0, n > 0 else { return }
        let lda = transposeA ? m : k
        let ldb = transposeB ? k : n
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(n))
    }
}
