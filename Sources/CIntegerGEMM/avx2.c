/* The AVX2 path. vpmaddubsw (u8 × s8 → pairs summed into int16) would be
 * fastest but saturates: 255·127·2 = 64770 > 32767. So both operands are
 * widened to int16 and multiplied with vpmaddwd, whose pair sums
 * (|·| ≤ 2·255·128 = 65280) fit easily in int32: the result is exact.
 *
 * Packed layout: output columns in panels of 8; k in steps of 8, each step
 * four pairs; one pair is a 32-byte vector of 8 columns × 2 int16 weights:
 *
 *     packed[panel][step][pair][j][u] = W[8·panel + j][8·step + 2·pair + u]   (0 past the edges)
 *
 * The weights are widened once, at pack time (twice the bytes, no work per
 * call). Per step each row of x is loaded as 8 bytes, widened, and each of its
 * four pairs broadcast to all lanes with one shuffle.
 */
#include "internal.h"

#if IGEMM_X86
#include <immintrin.h>

#pragma clang fp contract(off)

#define AVX2 __attribute__((target("avx2")))
#define INLINE static inline __attribute__((always_inline))

enum { MR = 4, NR = 2, STEP_BYTES = 4 * 32 };

size_t igemm_avx2_packed_size(ptrdiff_t n, ptrdiff_t k) {
    return (size_t)(igemm_div_up(n, IGEMM_AVX2_PANEL) * igemm_div_up(k, IGEMM_AVX2_KSTEP) * STEP_BYTES);
}

void igemm_avx2_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t k, int16_t *packed) {
    const ptrdiff_t panels = igemm_div_up(n, IGEMM_AVX2_PANEL), steps = igemm_div_up(k, IGEMM_AVX2_KSTEP);
    for (ptrdiff_t p = 0; p < panels; p++)
        for (ptrdiff_t s = 0; s < steps; s++)
            for (ptrdiff_t pair = 0; pair < 4; pair++)
                for (ptrdiff_t j = 0; j < IGEMM_AVX2_PANEL; j++)
                    for (ptrdiff_t u = 0; u < 2; u++) {
                        const ptrdiff_t col = p * IGEMM_AVX2_PANEL + j, kk = s * IGEMM_AVX2_KSTEP + 2 * pair + u;
                        *packed++ = (col < n && kk < k) ? w[col * k + kk] : 0;
                    }
}

/* All-ones in the lanes of an 8-column panel that lie inside the matrix. */
INLINE AVX2 __m256i column_mask(ptrdiff_t remaining) {
    const int r = remaining >= 8 ? 8 : (int)remaining;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(r), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* Writes one finished accumulator vector as int32 or rescaled float. */
INLINE AVX2 void store(__m256i c, ptrdiff_t i, ptrdiff_t col, __m256i mask,
                       __m256i zero_point_sums, __m256 scale, __m256 bias, const igemm_output *out) {
    __m256i acc = _mm256_sub_epi32(c, zero_point_sums);
    if (out->acc) {
        _mm256_maskstore_epi32(out->acc + i * out->ldacc + col, mask, acc);
    } else {
        __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), scale);
        if (out->bias) v = _mm256_add_ps(v, bias);
        /* vmaxps returns its second operand for a NaN or equal operands: v < 0 ? 0 : v. */
        if (out->relu) v = _mm256_max_ps(_mm256_setzero_ps(), v);
        _mm256_maskstore_ps(out->y + i * out->ldy + col, mask, v);
    }
}

/* The per-column constants of the requantization of one 8-column panel. */
typedef struct requant_panel {
    __m256i bias, multiplier, left, right, low, high, zero_point;
} requant_panel;

INLINE AVX2 requant_panel requant_panel_load(const igemm_output *out, ptrdiff_t col, __m256i mask) {
    const __m256i shift = _mm256_maskload_epi32(out->shift + col, mask), zero = _mm256_setzero_si256();
    requant_panel q;
    q.bias = out->bias_s32 ? _mm256_maskload_epi32(out->bias_s32 + col, mask) : zero;
    q.multiplier = _mm256_maskload_epi32(out->multiplier + col, mask);
    q.left = _mm256_max_epi32(shift, zero);
    q.right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
    q.low = _mm256_set1_epi32(out->y_low);
    q.high = _mm256_set1_epi32(out->y_high);
    q.zero_point = _mm256_set1_epi32(out->y_zero_point);
    return q;
}

/* igemm_multiply_by_quantized_multiplier on 8 lanes, the same integers, in
 * the steps of the AVX-512 path (see avx512_vnni.c for why ⌊(a·m + 2³⁰) / 2³¹⌋
 * is SRDHM). AVX2 has no 64-bit arithmetic shift, but the quotient's low 32
 * bits are bits 31..62 of the sum whichever shift brings them down, and the
 * quotient fits int32. */
INLINE AVX2 __m256i multiply_by_quantized_multiplier(__m256i x, const requant_panel *q) {
    const __m256i max = _mm256_set1_epi32(INT32_MAX), min = _mm256_set1_epi32(INT32_MIN);
    __m256i a = _mm256_sllv_epi32(x, q->left);
    a = _mm256_blendv_epi8(a, max, _mm256_cmpgt_epi32(x, _mm256_srav_epi32(max, q->left)));
    a = _mm256_blendv_epi8(a, min, _mm256_cmpgt_epi32(_mm256_srav_epi32(min, q->left), x));

    const __m256i nudge = _mm256_set1_epi64x(INT64_C(1) << 30);
    const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(a, q->multiplier), nudge);
    const __m256i odd = _mm256_add_epi64(
        _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(q->multiplier, 32)), nudge);
    const __m256i high = _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);

    const __m256i one = _mm256_set1_epi32(1);
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, q->right), one);
    const __m256i remainder = _mm256_and_si256(high, mask);
    const __m256i threshold = _mm256_add_epi32(_mm256_srai_epi32(mask, 1), _mm256_srli_epi32(high, 31));
    const __m256i quotient = _mm256_srav_epi32(high, q->right);
    /* cmpgt gives −1 where remainder > threshold: subtracting it adds 1. */
    return _mm256_sub_epi32(quotient, _mm256_cmpgt_epi32(remainder, threshold));
}

/* Writes one accumulator vector requantized to uint8 codes (`columns` ≤ 8 of them). */
INLINE AVX2 void store_u8(__m256i c, ptrdiff_t i, ptrdiff_t col, ptrdiff_t columns,
                          __m256i zero_point_sums, const requant_panel *q, const igemm_output *out) {
    const __m256i acc = _mm256_add_epi32(_mm256_sub_epi32(c, zero_point_sums), q->bias);
    __m256i v = multiply_by_quantized_multiplier(acc, q);
    v = _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(v, q->low), q->high), q->zero_point);
    /* Each lane is in 0...255: its low byte, gathered into the low 8 bytes. */
    const __m256i bytes = _mm256_shuffle_epi8(v, _mm256_setr_epi8(
        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
        0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
    const __m128i packed = _mm256_castsi256_si128(
        _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0)));
    uint8_t *y = out->y_u8 + i * out->ldy + col;
    if (columns >= 8) {
        _mm_storel_epi64((__m128i *)y, packed);
    } else {
        uint8_t lanes[8];
        _mm_storel_epi64((__m128i *)lanes, packed);
        memcpy(y, lanes, (size_t)columns);
    }
}

/* 8 bytes of x widened to int16 and copied into both 128-bit halves. */
INLINE AVX2 __m256i load_row(const uint8_t *p, ptrdiff_t available) {
    uint8_t bytes[8] = { 0, 0, 0, 0, 0, 0, 0, 0 };
    const uint8_t *src = p;
    if (available < 8) {
        memcpy(bytes, p, (size_t)available);
        src = bytes;
    }
    const __m128i v = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)src));
    return _mm256_broadcastsi128_si256(v);
}

/* One tile: rows i0 ..< i0+mr, panels p0 ..< p0+np, written as uint8 codes
 * when `requantize`, else as out->mode says (all three constant at each call). */
INLINE AVX2 void tile(const int mr, const int np, const int requantize, ptrdiff_t i0, ptrdiff_t p0,
                      ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                      const int16_t *packed, const igemm_output *out) {
    const ptrdiff_t steps = igemm_div_up(k, IGEMM_AVX2_KSTEP);
    const uint8_t *w = (const uint8_t *)packed + p0 * steps * STEP_BYTES;
    const uint8_t *xr = x + i0 * ldx;
    __m256i c[MR][NR];
    for (int r = 0; r < mr; r++)
        for (int p = 0; p < np; p++) c[r][p] = _mm256_setzero_si256();

    for (ptrdiff_t s = 0; s < steps; s++) {
        __m256i a[MR];
        for (int r = 0; r < mr; r++) a[r] = load_row(xr + r * ldx + s * 8, k - s * 8);
#define PAIR(q)                                                                                   \
        {                                                                                         \
            __m256i b[NR];                                                                        \
            for (int p = 0; p < np; p++)                                                          \
                b[p] = _mm256_loadu_si256((const __m256i *)(w + (p * steps + s) * STEP_BYTES + (q) * 32)); \
            for (int r = 0; r < mr; r++) {                                                        \
                const __m256i xq = _mm256_shuffle_epi32(a[r], (q) * 0x55);                        \
                for (int p = 0; p < np; p++) c[r][p] = _mm256_add_epi32(c[r][p], _mm256_madd_epi16(xq, b[p])); \
            }                                                                                     \
        }
        PAIR(0) PAIR(1) PAIR(2) PAIR(3)
#undef PAIR
    }

    const __m256i zp = _mm256_set1_epi32(out->zero_point);
    const __m256 xs = _mm256_set1_ps(out->x_scale);
    for (int p = 0; p < np; p++) {
        const ptrdiff_t col = (p0 + p) * IGEMM_AVX2_PANEL;
        const __m256i mask = column_mask(n - col);
        const __m256i sums = _mm256_mullo_epi32(zp, _mm256_maskload_epi32(out->col_sums + col, mask));
        if (requantize) {
            const requant_panel q = requant_panel_load(out, col, mask);
            for (int r = 0; r < mr; r++) store_u8(c[r][p], i0 + r, col, n - col, sums, &q, out);
            continue;
        }
        __m256 scale = _mm256_setzero_ps(), bias = _mm256_setzero_ps();
        if (!out->acc) {
            scale = _mm256_mul_ps(xs, _mm256_maskload_ps(out->w_scales + col, mask));
            if (out->bias) bias = _mm256_maskload_ps(out->bias + col, mask);
        }
        for (int r = 0; r < mr; r++) store(c[r][p], i0 + r, col, mask, sums, scale, bias, out);
    }
}

#define TILE_CASE(R, P) case (R) * 8 + (P): tile(R, P, requantize, i0, p0, n, k, x, ldx, packed, out); break;
#define TILE_ROW(R) TILE_CASE(R, 1) TILE_CASE(R, 2)

/* The loop over tiles. `requantize` is a constant at both call sites, so the
 * uint8 tiles are compiled into their own function and the int32/float ones
 * carry none of their code. */
INLINE AVX2 void gemm(const int requantize, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x,
                     ptrdiff_t ldx, const int16_t *packed, const igemm_output *out) {
    const ptrdiff_t panels = igemm_div_up(n, IGEMM_AVX2_PANEL);
    for (ptrdiff_t p0 = 0; p0 < panels; p0 += NR) {
        const int np = (int)(panels - p0 < NR ? panels - p0 : NR);
        for (ptrdiff_t i0 = 0; i0 < m; i0 += MR) {
            const int mr = (int)(m - i0 < MR ? m - i0 : MR);
            switch (mr * 8 + np) {
                TILE_ROW(1) TILE_ROW(2) TILE_ROW(3) TILE_ROW(4)
            }
        }
    }
}

AVX2 void igemm_avx2_gemm(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                       const int16_t *packed, const igemm_output *out) {
    gemm(0, m, n, k, x, ldx, packed, out);
}

AVX2 void igemm_avx2_gemm_u8(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *x, ptrdiff_t ldx,
                          const int16_t *packed, const igemm_output *out) {
    gemm(1, m, n, k, x, ldx, packed, out);
}
#endif
