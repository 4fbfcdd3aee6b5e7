#ifndef QUANT_CINTEGERGEMM_H
#define QUANT_CINTEGERGEMM_H
/*
 * Int8 matrix-multiply kernels for dynamic post-training quantization and for
 * integer-only inference, and the storage of low-bit weight codes.
 *
 * The product computed by every kernel, for x (m × k, uint8 codes with
 * zero-point z) and W (n × k, int8 symmetric codes, zero-point 0):
 *
 *     acc[i][j] = Σ_k (x[i][k] − z) · w[j][k]
 *               = Σ_k x[i][k] · w[j][k]  −  z · colsum[j],   colsum[j] = Σ_k w[j][k]
 *
 * in int32 arithmetic. Every partial sum of either form is at most 32640·k in
 * magnitude (|x − z| ≤ 255, 0 ≤ x ≤ 255, |w| ≤ 128), so nothing overflows for
 * k ≤ IGEMM_MAX_DEPTH (32640·65793 < 2³¹).
 *
 * igemm_gemm_f32 then writes float outputs
 *
 *     y[i][j] = (float)acc[i][j] · (x_scale · w_scale[j]) + bias[j]
 *
 * with one float multiply and one float add (never fused into an FMA), so
 * that every ISA path and the Swift reference give bit-identical floats.
 *
 * igemm_gemm_u8 instead requantizes to uint8 codes in integer arithmetic only
 * (TFLite's fixed-point scheme), for integer-only inference:
 *
 *     y[i][j] = clamp(y_zero_point + MBQM(acc[i][j] + bias[j], multiplier[j], shift[j]), y_min, y_max)
 *
 * Weights are first packed into the layout of one ISA path with igemm_pack; the
 * result must be used with that same path. Nothing here allocates, and every
 * function is safe to call from several threads on disjoint outputs.
 *
 * Separately, igemm_pack_bits stores weight codes of the low-bit formats
 * (igemm_format) densely, and the igemm_lowbit_* kernels multiply by such
 * codes directly (see "Low-bit kernels" below).
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest magnitude of one product (x − z)·w: 255 · 128. */
#define IGEMM_MAX_PRODUCT 32640

/* The largest reduction depth k for which acc cannot overflow int32
 * (IGEMM_MAX_PRODUCT · 65793 = 2147483520 < 2³¹). */
#define IGEMM_MAX_DEPTH 65793

/* One instruction-set path of the fast kernel. */
typedef enum igemm_isa {
    /* Plain C on row-major weights (any CPU; the compiler vectorizes it). */
    IGEMM_ISA_PORTABLE = 0,
    /* x86-64 AVX2: u8/s8 widened to int16, vpmaddwd into int32 (exact). */
    IGEMM_ISA_AVX2 = 1,
    /* x86-64 AVX-512 VNNI: vpdpbusd, u8 × s8 → s32, non-saturating. */
    IGEMM_ISA_AVX512_VNNI = 2,
} igemm_isa;

/* 1 when this CPU (and this build) can run `isa`, 0 otherwise. */
int igemm_isa_supported(igemm_isa isa);

/* Bytes of the packed layout of an n × k weight matrix for `isa`. */
size_t igemm_packed_size(igemm_isa isa, ptrdiff_t n, ptrdiff_t k);

/* Packs row-major int8 weights w (n × k) into `packed`
 * (igemm_packed_size(isa, n, k) bytes, any alignment). */
void igemm_pack(igemm_isa isa, const int8_t *w, ptrdiff_t n, ptrdiff_t k, void *packed);

/* acc (m × n, row stride ldacc) = Σ_k (x − zero_point)·w, see above.
 * x is m × k with row stride ldx; col_sums has n entries. */
void igemm_gemm_s32(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                 const uint8_t *x, ptrdiff_t ldx, int32_t zero_point,
                 const void *packed, const int32_t *col_sums,
                 int32_t *acc, ptrdiff_t ldacc);

/* y (m × n, row stride ldy) = acc · (x_scale · w_scales[j]) + bias[j], the
 * int32 product fused with the rescale. w_scales has n entries; bias has n
 * entries or is NULL (no bias). */
void igemm_gemm_f32(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                 const uint8_t *x, ptrdiff_t ldx, int32_t zero_point,
                 const void *packed, const int32_t *col_sums,
                 float x_scale, const float *w_scales, const float *bias,
                 float *y, ptrdiff_t ldy);

/* igemm_gemm_f32 with a ReLU applied as each output is stored,
 * y[i][j] = v < 0 ? 0 : v (v as above; a NaN or −0 stays as it is): the same
 * floats as igemm_gemm_f32 followed by a separate ReLU pass, without a second
 * pass over y. */
void igemm_gemm_f32_relu(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                         const uint8_t *x, ptrdiff_t ldx, int32_t zero_point,
                         const void *packed, const int32_t *col_sums,
                         float x_scale, const float *w_scales, const float *bias,
                         float *y, ptrdiff_t ldy);

/* y (m × n, uint8, row stride ldy) = the requantized product:
 *
 *     a        = acc[i][j] + bias[j]                       (int32; bias may be NULL: 0)
 *     y[i][j]  = clamp(y_zero_point + MBQM(a, multiplier[j], shift[j]), y_min, y_max)
 *
 * with acc as above (x_zero_point is z) and MBQM as in
 * igemm_multiply_by_quantized_multiplier: y ≈ y_zero_point + a · M[j] where
 * M[j] = multiplier[j] · 2^(shift[j] − 31) is the real multiplier
 * (x_scale · w_scale[j] / y_scale, with bias quantized to x_scale · w_scale[j]).
 * multiplier, shift and (when given) bias have n entries: one per output
 * column. y_min and y_max fold a following activation into the clamp
 * (ReLU: y_min = y_zero_point; ReLU6: also y_max = the code of 6).
 *
 * Caller's promises, which make every step exact int32 arithmetic:
 *  - |bias[j]| ≤ 2³¹ − 1 − IGEMM_MAX_PRODUCT · k, so that a = acc + bias
 *    cannot overflow (|acc| ≤ IGEMM_MAX_PRODUCT · k);
 *  - 0 ≤ multiplier[j] ≤ 2³¹ − 1 and −31 ≤ shift[j] ≤ 30 (TFLite's
 *    QuantizeMultiplier gives multiplier 0, or 2³⁰ ≤ multiplier < 2³¹), so
 *    the left shift is at most 30 bits and the one overflowing case of
 *    SaturatingRoundingDoublingHighMul (both operands −2³¹) cannot arise;
 *  - 0 ≤ y_zero_point ≤ 255 and y_min ≤ y_max.
 * The left shift a · 2^shift (shift > 0, i.e. M ≥ 1) saturates to int32. With
 * multiplier ≥ 2³⁰ (M ≥ 2^(shift − 1)) it only saturates when |a · M| ≥ 2³⁰,
 * far outside 0...255, so the clamped output is the same as with unbounded
 * integers. The zero-point is added after
 * clamping to [y_min − y_zero_point, y_max − y_zero_point], so that sum cannot
 * overflow either. Every ISA path gives the same bytes. */
void igemm_gemm_u8(igemm_isa isa, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                   const uint8_t *x, ptrdiff_t ldx, int32_t x_zero_point,
                   const void *packed, const int32_t *col_sums,
                   const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                   int32_t y_zero_point, uint8_t y_min, uint8_t y_max,
                   uint8_t *y, ptrdiff_t ldy);

/* TFLite's MultiplyByQuantizedMultiplier (gemmlowp's fixed-point arithmetic):
 *
 *     left  = max(shift, 0),  right = max(−shift, 0)
 *     MBQM(x) = RoundingDivideByPOT(SRDHM(saturate(x · 2^left), multiplier), right)
 *
 * where SRDHM(a, b) (SaturatingRoundingDoublingHighMul) is the high half of
 * 2·a·b rounded: INT32_MAX when a = b = INT32_MIN (the one overflow),
 * otherwise (a·b + nudge) / 2³¹ in int64, truncating toward zero, with
 * nudge = 2³⁰ when a·b ≥ 0 and 1 − 2³⁰ otherwise — which is a·b / 2³¹
 * rounded to nearest, ties toward +∞; and RoundingDivideByPOT(x, e) is x / 2^e
 * rounded to nearest, ties away from zero:
 *
 *     mask = 2^e − 1,  remainder = x & mask,  threshold = (mask >> 1) + (x < 0)
 *     result = (x >> e) + (remainder > threshold)        (>> arithmetic)
 *
 * The result approximates x · multiplier · 2^(shift − 31) within one unit.
 * Defined for every x and multiplier, and −31 ≤ shift ≤ 30; saturate() clamps
 * x · 2^left to int32 (TFLite leaves that overflow undefined). The scalar form
 * of what igemm_gemm_u8 applies to each output. */
int32_t igemm_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift);

/* How the integer codes of a weight matrix are stored. */
typedef enum igemm_format {
    /* 8 bits, codes −128...127 (two's complement). */
    IGEMM_FORMAT_INT8 = 0,
    /* 4 bits, codes −8...7 (two's complement nibble). */
    IGEMM_FORMAT_INT4 = 1,
    /* 2 bits, codes −2...1 (two's complement: 10 = −2, 11 = −1, 00 = 0, 01 = 1). */
    IGEMM_FORMAT_INT2 = 2,
    /* 1 bit, codes −1 and +1 (bit 1 = +1, bit 0 = −1; there is no 0). */
    IGEMM_FORMAT_BINARY = 3,
    /* 2 bits, codes −1, 0, +1, stored as INT2 is (11, 00, 01; 10 is never written). */
    IGEMM_FORMAT_TERNARY = 4,
} igemm_format;

/* Bits per code: 8, 4, 2, 1 or 2 (0 for a value outside the enum). */
int igemm_format_bits(igemm_format format);

/* Bit-packed layout of an n × k code matrix (igemm_pack_bits):
 *
 *  - row-major by output row j; every row starts on a byte boundary and takes
 *    ceil(k · bits / 8) bytes, so the matrix takes n · ceil(k · bits / 8);
 *  - within a row, code t lies in byte t / c at bits [b·(t mod c), b·(t mod c) + b)
 *    where b = bits and c = 8 / b codes per byte: little-endian within the
 *    byte, the first code in the lowest bits (INT4: low nibble first);
 *  - padding bits past the end of a row are 0.
 *
 * Group size (per-group scales): a group size g > 0 splits each row into
 * ceil(k / g) groups of g consecutive codes (the last one shorter when g does
 * not divide k), each with its own scale; group g0 of row j covers codes
 * g0·g ..< min((g0 + 1)·g, k) and its scale is scales[j · ceil(k / g) + g0].
 * g = IGEMM_GROUP_ROW (0) means one group per row: per-channel scales. The
 * layout of the codes does not depend on the group size. */
#define IGEMM_GROUP_ROW 0

/* Scales per row for group size `group_size`: ceil(k / group_size), or 1 for
 * IGEMM_GROUP_ROW. */
ptrdiff_t igemm_groups_per_row(ptrdiff_t k, ptrdiff_t group_size);

/* Bytes of the bit-packed layout of n × k codes in `format` (see above). */
size_t igemm_packed_bits_size(igemm_format format, ptrdiff_t n, ptrdiff_t k);

/* Packs row-major codes (n × k, one int8 per code) into `out`
 * (igemm_packed_bits_size(format, n, k) bytes). Returns −1 when every code is
 * in the format's range, otherwise the row-major index of the first that is
 * not (the contents of `out` are then unspecified). */
ptrdiff_t igemm_pack_bits(igemm_format format, const int8_t *codes, ptrdiff_t n, ptrdiff_t k,
                          uint8_t *out);

/* The inverse of igemm_pack_bits: codes[j·k + t] = the code stored for row j,
 * column t (sign-extended; ±1 for BINARY). Padding bits are not read. */
void igemm_unpack_bits(igemm_format format, const uint8_t *packed, ptrdiff_t n, ptrdiff_t k,
                       int8_t *codes);

/* ---- Low-bit kernels --------------------------------------------------------
 *
 * The product of uint8 activation codes x (m × k, zero-point z) with weight
 * codes of a low-bit format (INT4, INT2, TERNARY, BINARY) that carry one scale per
 * group of g consecutive codes of a row (or one per row), computed from the
 * bit-packed codes without ever widening the matrix to int8 in memory:
 *
 *     dot_g[i][j] = Σ_{t in group g} x[i][t] · w[j][t]                (int32, exact)
 *     s_g         = (float)dot_g[i][j] · (x_scale · w_scale[j][g])
 *     c_j         = ((w_scale[j][0]·S_0 + w_scale[j][1]·S_1) + …)    S_g = Σ_{t in g} w[j][t], at packing
 *     y[i][j]     = ((((s_0 + s_1) + … + s_{G−1}) − (x_scale · z) · c_j) + bias[j]
 *
 * The zero-point's share, Σ_g x_scale·w_scale·z·S_g, depends on the column
 * only, so it is taken out of the groups: c_j is computed once when the
 * weights are packed, and the groups' integer sums need no zero-point term
 * (at batch 1 that is half the vpdpbusd of an INT4 product, and no
 * per-group sums to read). For z = 0 (ReLU outputs) the term is exactly 0. The float sums run
 * over the groups in order, starting from the first term (no "0 +"), each
 * step one float multiply and one float add or subtract, never fused into an
 * FMA: every ISA path gives bit-identical floats. |x·w| ≤ 255·8 for INT4
 * (less for the others), so dot_g cannot overflow for k ≤ IGEMM_MAX_DEPTH
 * (the vector paths hold 2^(8−bits)·dot_g, at most 32640·k in magnitude, as
 * the int8 kernels do).
 *
 * The group size g is a multiple of IGEMM_LOWBIT_GROUP_MULTIPLE (or
 * IGEMM_GROUP_ROW); the last group of a row is shorter when g does not divide
 * k (K = 784, g = 128: six groups of 128 and one of 16) and handled exactly.
 *
 * Kernel layout (igemm_lowbit_pack, from igemm_pack_bits' layout): output
 * columns in panels of P = igemm_lowbit_panel_width(isa) (16, or 8 for AVX2);
 * each panel is one contiguous record
 *
 *     codes:  ceil(k / D) blocks of 4·P bytes, D = 4 · 8/bits codes deep;
 *             byte [block][j][t] holds, in its slot s (bits [bits·s, bits·s + bits)),
 *             the field of W[P·panel + j][D·block + 4·s + t]
 *             (D = 8 for INT4, 16 for INT2 and TERNARY, 32 for BINARY)
 *     scales: float [G][P]    w_scale[P·panel + j][g]
 *     sums:   float [P]       c_{P·panel + j}, the weighted code sums above (0 past n)
 *
 * (codes past k or past n are 0; BINARY fields there are 0, multiplied by
 * activations padded with 0). So 4 consecutive codes of a column sit in one
 * slot of 4 bytes: one shift and one mask give the int8 operands of
 * vpdpbusd; for BINARY (w = 2f − 1) the kernels sum x·f and use
 * Σ x·w = 2·Σ x·f − Σ x, with the row's Σ x over the group. A field is the code's two's-complement bits (BINARY: 1 for +1,
 * 0 for −1, as igemm_pack_bits), except on the AVX2 path, which stores
 * code + 2^(bits−1) for INT4/INT2/TERNARY (offset binary) so that unpacking
 * is a mask and a subtraction. Because a panel's codes, scales and sums are one
 * record, a range of whole panels is an independent slice of the matrix: the
 * kernel takes a column range, and threads split the columns.
 *
 * Nothing here allocates; every function is safe to call from several
 * threads on disjoint outputs. */

/* Group sizes must be multiples of this (it is a whole number of blocks for
 * every format). */
#define IGEMM_LOWBIT_GROUP_MULTIPLE 32

/* 1 when the low-bit kernels can multiply by codes of `format`: INT4, INT2,
 * TERNARY (which is stored as INT2) and BINARY; 0 otherwise (INT8: use
 * igemm_gemm_f32). */
int igemm_lowbit_format_supported(igemm_format format);

/* Output columns per panel of `isa`'s layout: 16 (portable, AVX-512 VNNI) or 8 (AVX2). */
ptrdiff_t igemm_lowbit_panel_width(igemm_isa isa);

/* Bytes of the kernel layout of an n × k matrix in `format` with `group_size`. */
size_t igemm_lowbit_packed_size(igemm_isa isa, igemm_format format, ptrdiff_t n, ptrdiff_t k,
                                ptrdiff_t group_size);

/* Repacks `bits` (igemm_pack_bits layout, n × k codes of `format`) and
 * `scales` (n · igemm_groups_per_row(k, group_size) floats, index
 * j · G + g) into `packed` (igemm_lowbit_packed_size bytes, any alignment). */
void igemm_lowbit_pack(igemm_isa isa, igemm_format format, ptrdiff_t n, ptrdiff_t k, ptrdiff_t group_size,
                       const uint8_t *bits, const float *scales, void *packed);

/* y[i][j] for the columns col_begin ≤ j < col_end (see above); y (m × n,
 * row stride ldy) and bias (n entries, or NULL for none) are indexed by the
 * full column j. col_begin must be a multiple of the panel width and
 * col_end ≤ n; x is m × k with row stride ldx. */
void igemm_lowbit_gemm_f32(igemm_isa isa, igemm_format format, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,
                           ptrdiff_t group_size, const uint8_t *x, ptrdiff_t ldx, int32_t zero_point,
                           const void *packed, float x_scale, const float *bias, float *y, ptrdiff_t ldy,
                           ptrdiff_t col_begin, ptrdiff_t col_end);

/* Smallest and largest of x[0 ..< count], skipping NaNs (+inf and −inf when
 * there is no number at all). */
void igemm_min_max(const float *x, size_t count, float *min, float *max);

/* codes[i] = clamp(round_half_even(x[i] · inv_scale) + zero_point, 0, 255). */
void igemm_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                    uint8_t *codes);

/* Runs `iterations` rounds of 12 independent vpdpbusd (zmm) on this thread
 * and returns the multiply–adds done (768 per round), or 0 without AVX-512
 * VNNI: timed, it gives the core's int8 peak (see peak.c). */
uint64_t igemm_vnni_peak(uint64_t iterations);

#ifdef __cplusplus
}
#endif
#endif
