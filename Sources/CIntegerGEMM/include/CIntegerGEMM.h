#ifndef QUANT_CINTEGERGEMM_H
#define QUANT_CINTEGERGEMM_H
/*
 * Int8 matrix-multiply kernels for dynamic post-training quantization.
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
 * Weights are first packed into the layout of one ISA path with igemm_pack; the
 * result must be used with that same path. Nothing here allocates, and every
 * function is safe to call from several threads on disjoint outputs.
 *
 * Separately, igemm_pack_bits stores weight codes of the low-bit formats
 * (igemm_format) densely, for storage and for the low-bit kernels to come.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest reduction depth k for which acc cannot overflow int32. */
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

/* Smallest and largest of x[0 ..< count], skipping NaNs (+inf and −inf when
 * there is no number at all). */
void igemm_min_max(const float *x, size_t count, float *min, float *max);

/* codes[i] = clamp(round_half_even(x[i] · inv_scale) + zero_point, 0, 255). */
void igemm_quantize_u8(const float *x, size_t count, float inv_scale, int32_t zero_point,
                    uint8_t *codes);

#ifdef __cplusplus
}
#endif
#endif
