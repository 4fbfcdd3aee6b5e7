import COpenBLAS

/// The lazy batch updates of ``GPTQ``: the scaled errors `e` of the columns
/// whose update has so far reached only their own block, and the product
/// that passes them on to the columns after the block.
///
/// Column `c`'s update `w_F −= e_c·U_{c,F}` is applied at once only to the
/// columns of its block (`F` up to ``blockEnd``), which stay in cache; the
/// errors of the block's columns are kept, and when the block ends (or a
/// dynamic group starts and needs the current weights) one `dgemm` applies
/// them all to the columns after the block:
/// `W[:, blockEnd…] −= E[:, pending..<c] · U[pending..<c, blockEnd…]`.
/// Each column still receives every earlier column's update before it is
/// rounded, so the result is that of the column-by-column loop.
struct GPTQLazyUpdates {
    let rows: Int, columns: Int, blockSize: Int
    /// The first column whose error has not reached the columns ≥ ``blockEnd``.
    private(set) var pending = 0
    /// The end of the current block: in-block updates run up to here.
    private(set) var blockEnd = 0
    /// `errors[j·blockSize + (c − pending)]`: row `j`'s scaled error of column `c`.
    private var errors: [Double]

    init(rows: Int, columns: Int, blockSize: Int) {
        (self.rows, self.columns, self.blockSize) = (rows, columns, blockSize)
        errors = [Double](repeating: 0, count: rows * blockSize)
    }

    /// Called before column `c`: at a block boundary, passes the finished
    /// block's errors on and opens the next block.
    mutating func startColumn(_ c: Int, work: UnsafeMutableBufferPointer<Double>, u: UnsafeBufferPointer<Double>) {
        guard c == blockEnd else { return }
        flush(upTo: c, work: work, u: u)
        blockEnd = Swift.min(c + blockSize, columns)
    }

    mutating func record(_ error: Double, row: Int, column: Int) {
        errors[row * blockSize + column - pending] = error
    }

    /// `W[:, blockEnd…] −= E[:, pending..<c] · U[pending..<c, blockEnd…]`:
    /// the errors of columns `pending..<c` reach every later column.
    mutating func flush(upTo c: Int, work: UnsafeMutableBufferPointer<Double>, u: UnsafeBufferPointer<Double>) {
        let width = c - pending, rest = columns - blockEnd
        if width > 0, rest > 0 {
            errors.withUnsafeBufferPointer { e in
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(rows), blasint(rest), blasint(width),
                            -1, e.baseAddress, blasint(blockSize), u.baseAddress! + pending * columns + blockEnd, blasint(columns),
                            1, work.baseAddress! + blockEnd, blasint(columns))
            }
        }
        pending = c
    }
}
